import { isValidRole, resourceRoleName, roleLabelValue, roleOfResourceRole } from './roles.js';

describe('roles', () => {
  it.each([
    ['*', true],
    ['eng', true],
    ['eng/ml', true],
    ['a-1/b-2/c', true],
    ['Eng', false],
    ['eng//ml', false],
    ['/eng', false],
    ['eng/', false],
    ['eng.ml', false],
    ['**', false],
    ['', false],
    ['a'.repeat(201), false],
  ])('isValidRole(%j) = %s', (role, want) => expect(isValidRole(role)).toBe(want));

  it.each([
    ['*', undefined],
    ['eng', 'eng'],
    ['eng/ml/gpu', 'eng.ml.gpu'],
  ])('resourceRoleName(%j) = %j and back', (role, name) => {
    expect(resourceRoleName(role)).toBe(name);
    if (name !== undefined) expect(roleOfResourceRole(name)).toBe(role);
  });

  it.each([
    ['*', ''],
    ['eng/ml', 'eng.ml'],
  ])('roleLabelValue(%j) = %j', (role, want) => expect(roleLabelValue(role)).toBe(want));

  it('shortens long roles to a valid, distinct label value', () => {
    const a = roleLabelValue(`${'x'.repeat(60)}/a`);
    const b = roleLabelValue(`${'x'.repeat(60)}/b`);
    expect(a.length).toBeLessThanOrEqual(63);
    expect(a).toMatch(/^[a-z0-9]([-a-z0-9_.]*[a-z0-9])?$/);
    expect(a).not.toBe(b);
  });
});
