// The njs gate: NGINX's auth_request never passes the request body to the check, and most of
// MLflow's JSON API names its objects only in the body. So for those requests NGINX reads the
// body, posts it to /check with the original method and URI, and on 204 redirects internally
// to MLflow, which receives the same body. Every decision is taken in Keycloak; this only relays:
// - a 204 marked X-MLflow-Object-Event (a create, rename or delete of an experiment or model):
//   the gate forwards the request itself, and reports MLflow's successful answer to Keycloak,
//   which records the creator as the owner;
// - a 200 marked X-MLflow-Forward: allowed, and /check's body is the body MLflow is to receive
//   instead of the client's (the signed-in user named where the client named who did it); the
//   gate forwards that body itself (and reports the answer when the 200 is marked as above);
// - a 200: /check answered the request itself (a search filtered to what the caller may read);
// - a 404: a lookup by name the caller may not make, answered as MLflow answers an unknown name.

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

const MLFLOW_UNAVAILABLE = JSON.stringify({
    error_code: 'TEMPORARILY_UNAVAILABLE',
    message: 'The MLflow server is unavailable.',
});

function notRecorded(status) {
    return JSON.stringify({
        error_code: 'INTERNAL_ERROR',
        message: `MLflow carried out the request (status ${status}), but the gateway could not record it in Keycloak,`
            + ' so it may not be yours to use: ask an administrator to assign it to you.',
    });
}

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
    // njs 0.7 cannot send an empty Buffer as a subrequest body: send '' instead.
    const sent = body && body.length ? body : '';
    let reply;
    try {
        reply = await r.subrequest('/_mlflow_check_body', { method: 'POST', body: sent });
    } catch (e) {
        r.error(`mlflow gate: /check failed: ${e}`);
        answer(r, 503, UNAVAILABLE);
        return;
    }
    const rewritten = reply.status === 200 && reply.headersOut['X-MLflow-Forward'] !== undefined;
    if (reply.status === 204 || rewritten) {
        for (const header in IDENTITY) {
            r.variables[IDENTITY[header]] = reply.headersOut[header] || '';
        }
        const report = reply.headersOut['X-MLflow-Object-Event'] !== undefined;
        if (rewritten || report) {
            await forward(r, rewritten ? reply.responseText : sent, report);
            return;
        }
        r.internalRedirect('@mlflow');
        return;
    }
    if (reply.status === 200) {
        answer(r, 200, reply.responseText);
        return;
    }
    if (reply.status === 401 && isNavigation(r)) {
        r.headersOut['Cache-Control'] = 'no-store';
        r.return(302, `${r.variables.mlflow_static_prefix}/oauth2/login?rd=${encodeURIComponent(r.variables.request_uri)}`);
        return;
    }
    // A 404 is /check's own answer (marked with its error header), not a Keycloak without the extension.
    const ours404 = reply.status === 404 && reply.headersOut['X-MLflow-Check-Error'] !== undefined;
    if (reply.status === 400 || reply.status === 401 || reply.status === 403 || ours404) {
        const challenge = reply.headersOut['WWW-Authenticate'];
        if (reply.status === 401 && challenge) {
            r.headersOut['WWW-Authenticate'] = challenge;
        }
        answer(r, reply.status, reply.responseText);
        return;
    }
    answer(r, 503, UNAVAILABLE);
}

// body: the request body MLflow is to receive (a Buffer or a string, '' for none); report: whether
// MLflow's successful answer is reported to Keycloak.
async function forward(r, body, report) {
    let mlflow;
    try {
        mlflow = await r.subrequest(`/_mlflow_reported${r.uri}`,
            { method: r.method, args: r.variables.args || '', body: body });
    } catch (e) {
        r.error(`mlflow gate: MLflow failed: ${e}`);
        answer(r, 502, MLFLOW_UNAVAILABLE);
        return;
    }
    if (mlflow.status === 502 || mlflow.status === 504) {
        // NGINX could not reach MLflow: the same answer as @mlflow_unavailable.
        answer(r, 502, MLFLOW_UNAVAILABLE);
        return;
    }
    if (report && mlflow.status >= 200 && mlflow.status < 300) {
        let recorded = null;
        try {
            recorded = await r.subrequest('/_mlflow_object_event', {
                method: 'POST',
                body: JSON.stringify({ request: body.toString(), response: mlflow.responseText }),
            });
        } catch (e) {
            r.error(`mlflow gate: reporting to Keycloak failed: ${e}`);
        }
        if (recorded === null || recorded.status !== 204) {
            r.error(`mlflow gate: Keycloak did not record ${r.method} ${r.uri}: ${recorded === null ? 'unreachable' : recorded.status}`);
            answer(r, 502, notRecorded(mlflow.status));
            return;
        }
    }
    r.headersOut['Content-Type'] = mlflow.headersOut['Content-Type'] || 'application/json';
    r.return(mlflow.status, mlflow.responseText);
}

export default { check };
