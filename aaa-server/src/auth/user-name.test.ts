// The account name inside a User-Name with a Windows domain.
import { describe, expect, it } from 'vitest';
import { userNameWithoutDomain } from './user-name';

describe('userNameWithoutDomain', () => {
  it('drops everything up to the last backslash and leaves other names alone', () => {
    expect(userNameWithoutDomain('WORKGROUP\\otieno')).toBe('otieno');
    expect(userNameWithoutDomain('A\\B\\otieno')).toBe('otieno');
    expect(userNameWithoutDomain('otieno@isp.example')).toBe('otieno@isp.example');
    expect(userNameWithoutDomain('WORKGROUP\\')).toBe('');
  });
});
