// The njs gate: NGINX's auth_request never passes the request body to the check, and most of
// MLflow's JSON API names its objects only in the body. So for those requests NGINX reads the
// body, posts it to /check with the original method and URI, and on 204 redirects internally
// to MLflow, which receives the same body. Every decision is taken in Keycloak; this only relays.

// Identity header of /check's answer -> variable that @mlflow forwards. (njs 0.7, as Debian 12
// ships it, has no destructuring: plain objects and loops only.)
const IDENTITY = {
    'X-MLflow-User': 'mlflow_user',
    'X-MLflow-User-Id': 'mlflow_user_id',
    'X-MLflow-Email': 'mlflow_email',
};

const UNAVAILABLE = JSON.stringify({
    error_code: 'TEMPORARILY_UNAVAILABLE',
    message: 'The authorization service is unavailable; the request was not forwarded to MLflow.',
});

const TOO_LARGE = JSON.stringify({
    error_code: 'REQUEST_LIMIT_EXCEEDED',
    message: 'The request body is larger than the gateway accepts for MLflow API requests.',
});

function answer(r, status, body) {
    r.headersOut['Content-Type'] = 'application/json';
    r.headersOut['Cache-Control'] = 'no-store';
    r.return(status, body);
}

// A person's browser opening a page (not the UI's own API calls, not a program): sent to sign in
// and back, instead of a 401.
function isNavigation(r) {
    if (r.method !== 'GET' && r.method !== 'HEAD') {
        return false;
    }
    const mode = r.headersIn['Sec-Fetch-Mode'];
    if (mode !== undefined) {
        return mode === 'navigate';
    }
    const accept = r.headersIn['Accept'] || '';
    return accept.indexOf('text/html') >= 0 && r.uri.indexOf('/api/') < 0 && r.uri.indexOf('/ajax-api/') < 0;
}

function hasBody(r) {
    const length = r.headersIn['Content-Length'];
    return (length !== undefined && length !== '0') || r.headersIn['Transfer-Encoding'] !== undefined;
}

async function check(r) {
    const body = r.requestBuffer;
    if (body === undefined && hasBody(r)) {
        // Not held in memory, so it cannot be checked: refuse rather than forward it unchecked.
        answer(r, 413, TOO_LARGE);
        return;
    }
    let reply;
    try {
        // njs 0.7 cannot send an empty Buffer as a subrequest body: send '' instead.
        reply = await r.subrequest('/_mlflow_check_body', { method: 'POST', body: body && body.length ? body : '' });
    } catch (e) {
        r.error(`mlflow gate: /check failed: ${e}`);
        answer(r, 503, UNAVAILABLE);
        return;
    }
    if (reply.status === 204) {
        for (const header in IDENTITY) {
            r.variables[IDENTITY[header]] = reply.headersOut[header] || '';
        }
        r.internalRedirect('@mlflow');
        return;
    }
    if (reply.status === 401 && isNavigation(r)) {
        r.headersOut['Cache-Control'] = 'no-store';
        r.return(302, `${r.variables.mlflow_static_prefix}/oauth2/login?rd=${encodeURIComponent(r.variables.request_uri)}`);
        return;
    }
    if (reply.status === 400 || reply.status === 401 || reply.status === 403) {
        const challenge = reply.headersOut['WWW-Authenticate'];
        if (reply.status === 401 && challenge) {
            r.headersOut['WWW-Authenticate'] = challenge;
        }
        answer(r, reply.status, reply.responseText);
        return;
    }
    answer(r, 503, UNAVAILABLE);
}

export default { check };
