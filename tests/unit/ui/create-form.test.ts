import { describe, expect, it } from 'vitest';
import { CreateFormState } from '../../../src/ui/state/create-form.svelte';

function filled(): CreateFormState {
  const form = new CreateFormState();
  form.friendlyName = 'support.example.com 2026';
  form.subject.C = 'us';
  form.subject.CN = 'Support';
  return form;
}

describe('the Create form', () => {
  it('shows no problem before a field is left or a button pressed, then shows it under its field', () => {
    const form = new CreateFormState();
    form.subject.C = 'USA';
    expect(form.shown('C')).toBeUndefined();
    form.touch('C');
    expect(form.shown('C')).toMatch(/two-letter/);
    expect(form.submit()).toBeUndefined();
    expect(form.shown('friendlyName')).toMatch(/friendly name/i);
  });

  it('adds and removes Subject Alternative Names one by one, normalised, without duplicates', () => {
    const form = filled();
    for (const name of ['Support.Example.COM', '*.example.com', '192.0.2.10', 'bücher.example']) {
      form.sanDraft = name;
      expect(form.addSan()).toBe(true);
    }
    form.sanDraft = 'support.example.com';
    expect(form.addSan()).toBe(false);
    expect(form.sanProblem).toMatch(/already/);
    expect(form.subjectAltNames).toEqual(['support.example.com', '*.example.com', '192.0.2.10', 'xn--bcher-kva.example']);
    form.removeSan('*.example.com');
    expect(form.subjectAltNames).toEqual(['support.example.com', '192.0.2.10', 'xn--bcher-kva.example']);
  });

  it.each([
    { input: 'sup*port.example.com', problem: /wildcard/i },
    { input: 'a.*.example.com', problem: /wildcard/i },
    { input: '256.1.1.1', problem: /IPv4/ },
    { input: 'two words', problem: /space/ },
    { input: '', problem: /Enter/ },
  ])('refuses the SAN "$input" with a reason', ({ input, problem }) => {
    const form = filled();
    form.sanDraft = input;
    expect(form.addSan()).toBe(false);
    expect(form.sanProblem).toMatch(problem);
    expect(form.subjectAltNames).toEqual([]);
  });

  it('submits the normalised input, and a typed but not added SAN is added rather than lost', () => {
    const form = filled();
    form.sanDraft = 'support.example.com';
    form.algorithm = 'ECDSA-P384';
    form.exportable = false;
    expect(form.submit()).toEqual({
      friendlyName: 'support.example.com 2026',
      algorithm: 'ECDSA-P384',
      subject: { C: 'US', CN: 'Support' },
      subjectAltNames: ['support.example.com'],
      exportable: false,
      validityDays: 365,
    });
  });

  it.each([0, -1, 3651, 1.5])('refuses a validity of %s days', (days) => {
    const form = filled();
    form.validityDays = days;
    expect(form.submit()).toBeUndefined();
    expect(form.shown('validityDays')).toMatch(/1 to 3650/);
  });
});
