-- wrk script for bin/bench worst-case: asks Keycloak's /check (the URL given to wrk) about one MLflow
-- request whose body is in a file, as the njs gate asks it: a POST with the original method and URI
-- in headers. Arguments: METHOD URI BODY-FILE; wrk's -H headers (the caller's token, the gateway secret) go with it.
local method, uri, body

function init(args)
  method, uri = args[1], args[2]
  local file = assert(io.open(args[3], "rb"))
  body = file:read("*a")
  file:close()
end

function request()
  local headers = {}
  for name, value in pairs(wrk.headers) do
    headers[name] = value
  end
  headers["X-Original-Method"] = method
  headers["X-Original-URI"] = uri
  headers["Content-Type"] = "application/octet-stream"
  return wrk.format("POST", nil, headers, body)
end
