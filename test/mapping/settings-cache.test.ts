// Settings are resolved once per distinct destination.Config. Credentials stay out of the cache key,
// but only the Config's own credential keys: a nested key with a credential's name (a field of an
// inline rule) is part of what the settings say.
import { expect } from 'chai';
import { resolveSettings } from '../../src/mapping/settings.js';

const inlineRule = (value: string) => ({
  name: 'custom-user',
  on: { type: 'identify' },
  object: 'Contact',
  operation: 'create',
  fields: { LastName: 'traits.name', password: value },
});

describe('settings cache key', () => {
  it('two Configs that differ only in a nested "password" key resolve to their own settings', () => {
    const a = resolveSettings({ mappings: [inlineRule("'a'")] });
    const b = resolveSettings({ mappings: [inlineRule("'b'")] });
    expect((a.mappings?.[0] as { fields: Record<string, string> }).fields.password).to.equal("'a'");
    expect((b.mappings?.[0] as { fields: Record<string, string> }).fields.password).to.equal("'b'");
  });

  it("the Config's own credentials stay out of the settings, and Configs differing only there share an entry", () => {
    const a = resolveSettings({ password: 'one', userName: 'u1', mapProperties: false });
    const b = resolveSettings({ password: 'two', userName: 'u2', mapProperties: false });
    expect(a).to.equal(b);
    expect(a).to.not.have.property('password');
    expect(a).to.not.have.property('userName');
  });

  it('a frozen Config is resolved once per object; a frozen Config with other values gets its own settings', () => {
    const a = Object.freeze({ mapProperties: false, apiVersion: '59.0' });
    const first = resolveSettings(a);
    expect(resolveSettings(a)).to.equal(first);
    expect(first).to.include({ mapProperties: false, apiVersion: '59.0' });
    const b = resolveSettings(Object.freeze({ mapProperties: true, apiVersion: '59.0' }));
    expect(b).to.include({ mapProperties: true });
    // An unfrozen Config with the same values still shares the entry its values key.
    expect(resolveSettings({ mapProperties: false, apiVersion: '59.0' })).to.equal(first);
  });

  it('a frozen Config that cannot be resolved is refused every time it is asked', () => {
    const bad = Object.freeze({ mappingsMode: 'sometimes' });
    expect(() => resolveSettings(bad)).to.throw(/mappingsMode/);
    expect(() => resolveSettings(bad)).to.throw(/mappingsMode/);
  });
});
