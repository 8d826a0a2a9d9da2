import { negotiate } from './media-type.js';

const JSON_TYPE = 'application/json';
const PROTOBUF = 'application/x-protobuf';

describe('negotiate', () => {
  it.each<[string, string | undefined, string | undefined, string | number, string | number]>([
    // name, Content-Type, Accept, request type or status, response type or status
    ['JSON, no Accept', JSON_TYPE, undefined, JSON_TYPE, JSON_TYPE],
    ['protobuf, no Accept', PROTOBUF, undefined, PROTOBUF, JSON_TYPE],
    ['blank Accept allows all', PROTOBUF, '  ', PROTOBUF, JSON_TYPE],
    ['Accept */*', PROTOBUF, '*/*', PROTOBUF, JSON_TYPE],
    ['Accept application/*', PROTOBUF, 'application/*', PROTOBUF, JSON_TYPE],
    ['Accept protobuf', JSON_TYPE, PROTOBUF, JSON_TYPE, PROTOBUF],
    ['Accept JSON', PROTOBUF, JSON_TYPE, PROTOBUF, JSON_TYPE],
    ['both accepted: JSON first, as Mesos', PROTOBUF, `${PROTOBUF}, ${JSON_TYPE}`, PROTOBUF, JSON_TYPE],
    ['JSON refused with q=0', JSON_TYPE, `${JSON_TYPE};q=0, */*`, JSON_TYPE, PROTOBUF],
    ['JSON refused with q=0.0', JSON_TYPE, `${JSON_TYPE}; q=0.0, ${PROTOBUF}`, JSON_TYPE, PROTOBUF],
    ['low q still accepts', JSON_TYPE, `${JSON_TYPE};q=0.1`, JSON_TYPE, JSON_TYPE],
    ['malformed q counts as accepted', JSON_TYPE, `${JSON_TYPE};q=high`, JSON_TYPE, JSON_TYPE],
    ['exact type beats wildcard', JSON_TYPE, `*/*;q=0, ${PROTOBUF}`, JSON_TYPE, PROTOBUF],
    [
      'case and parameters ignored',
      'Application/JSON; charset=utf-8',
      'APPLICATION/X-PROTOBUF',
      JSON_TYPE,
      PROTOBUF,
    ],
    ['RecordIO alone is not enough', JSON_TYPE, 'application/recordio', JSON_TYPE, 406],
    ['nothing acceptable', JSON_TYPE, 'text/html, image/*', JSON_TYPE, 406],
    ['everything refused', JSON_TYPE, '*/*;q=0', JSON_TYPE, 406],
    ['unsupported Content-Type', 'text/plain', JSON_TYPE, 415, 415],
    ['form Content-Type', 'application/x-www-form-urlencoded', undefined, 415, 415],
    ['missing Content-Type', undefined, JSON_TYPE, 400, 400],
    ['empty Content-Type', '', JSON_TYPE, 400, 400],
  ])('%s', (_name, contentType, accept, request, response) => {
    const result = negotiate(contentType, accept);
    if (typeof request === 'number' || typeof response === 'number') {
      expect(result.ok ? 'negotiated' : result.error.status).toBe(
        typeof request === 'number' ? request : response,
      );
    } else {
      expect(result).toEqual({ ok: true, value: { request, response } });
    }
  });

  it('explains a refusal in Mesos words', () => {
    expect(negotiate('text/plain', undefined)).toEqual({
      ok: false,
      error: {
        status: 415,
        message: "Expecting 'Content-Type' of application/json or application/x-protobuf",
      },
    });
    expect(negotiate(JSON_TYPE, 'text/html')).toEqual({
      ok: false,
      error: {
        status: 406,
        message: "Expecting 'Accept' to allow 'application/x-protobuf' or 'application/json'",
      },
    });
  });
});
