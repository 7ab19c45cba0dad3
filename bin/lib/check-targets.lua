-- wrk script for bin/bench objects: asks Keycloak's /check (the URL given to wrk) about the MLflow
-- requests of a file, one request target per line, in turn; wrk's -H headers (the caller's
-- token, the gateway secret) go with each.
local targets = {}
local next_target = 0

function init(args)
  for line in io.lines(args[1]) do
    targets[#targets + 1] = line
  end
end

function request()
  next_target = next_target % #targets + 1
  local headers = {}
  for name, value in pairs(wrk.headers) do
    headers[name] = value
  end
  headers["X-Original-Method"] = "GET"
  headers["X-Original-URI"] = targets[next_target]
  return wrk.format("GET", nil, headers, nil)
end
