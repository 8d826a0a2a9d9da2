/**
 * JSON answers, or JSONP ones when the query names a callback (`?jsonp=cb` → `cb(json);` as
 * text/javascript), as Mesos' endpoints answer. Pure.
 */

export interface Rendered {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

/**
 * A callback must be a JavaScript name or dotted path: Mesos echoes any text, which lets a page
 * inject script through the query; kmesos refuses anything else.
 */
const CALLBACK = /^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/;
const MAX_CALLBACK = 128;

export function renderJson(value: unknown, jsonp: unknown): Rendered {
  const json = JSON.stringify(value);
  if (jsonp === undefined) return { status: 200, contentType: 'application/json', body: json };
  if (typeof jsonp !== 'string' || jsonp.length > MAX_CALLBACK || !CALLBACK.test(jsonp))
    return {
      status: 400,
      contentType: 'text/plain',
      body: "'jsonp' must be a JavaScript function name, such as 'callback' or 'app.receive'\n",
    };
  return { status: 200, contentType: 'text/javascript', body: `${jsonp}(${json});` };
}
