// JSON routes take only bodies sent as application/json: the one type a cross-site form cannot send.
import { describe, expect, it } from 'vitest';
import { isJsonRequest } from './validation';

describe('isJsonRequest', () => {
  it('accepts application/json with or without parameters, in any case', () => {
    expect(isJsonRequest('application/json')).toBe(true);
    expect(isJsonRequest('application/json; charset=utf-8')).toBe(true);
    expect(isJsonRequest(' Application/JSON ;charset=UTF-8')).toBe(true);
  });

  it('refuses what an HTML form can send, other types, and no type', () => {
    for (const type of [
      'text/plain',
      'text/plain; charset=utf-8',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/jsonx',
      'text/json',
      '',
      undefined,
    ])
      expect(isJsonRequest(type)).toBe(false);
  });
});
