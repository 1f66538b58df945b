import { SUBJECT_FIELDS, validateSubject, validateSubjectAltName, type SubjectField } from '../../store/pki';
import type { KeyAlgorithmName, SubjectInput } from '../../store/workspace';

/** The guide's Key dropdown: algorithm and size. */
export const keyOptions: readonly { value: KeyAlgorithmName; label: string }[] = [
  { value: 'RSA-2048', label: 'RSA 2048' },
  { value: 'RSA-3072', label: 'RSA 3072' },
  { value: 'RSA-4096', label: 'RSA 4096' },
  { value: 'ECDSA-P256', label: 'ECDSA P-256' },
  { value: 'ECDSA-P384', label: 'ECDSA P-384' },
];

/** The guide's Subject Name fields, with the labels it uses. */
export const subjectFields: readonly { field: SubjectField; label: string; hint: string }[] = [
  { field: 'C', label: 'Country', hint: 'Two letters, e.g. US or DE.' },
  { field: 'ST', label: 'State/Province', hint: 'The full name; some CAs refuse abbreviations.' },
  { field: 'L', label: 'City (Locality)', hint: '' },
  { field: 'O', label: 'Organization', hint: 'Your company.' },
  { field: 'OU', label: 'Organizational Unit', hint: 'The department managing the appliance.' },
  { field: 'CN', label: 'Name (Common Name)', hint: 'A unique label; clients use the Subject Alternative Names.' },
];

/** What the Create form hands to the workspace when the admin clicks a Create button. */
export interface CreateInput {
  friendlyName: string;
  algorithm: KeyAlgorithmName;
  subject: SubjectInput;
  subjectAltNames: string[];
  exportable: boolean;
  validityDays: number;
}

/**
 * The Create form: validates as the admin types and explains each rule under its field.
 * Problems show once a field was left or a Create button was pressed, never before.
 */
export class CreateFormState {
  friendlyName = $state('');
  algorithm = $state<KeyAlgorithmName>('RSA-2048');
  subject = $state<Record<SubjectField, string>>({ C: '', ST: '', L: '', O: '', OU: '', CN: '' });
  sanDraft = $state('');
  subjectAltNames = $state<string[]>([]);
  exportable = $state(true);
  validityDays = $state(365);
  touched = $state<Record<string, boolean>>({});
  submitted = $state(false);
  sanProblem = $state<string | undefined>();

  readonly subjectResult = $derived(validateSubject(this.subject));

  readonly problems: Record<string, string | undefined> = $derived.by(() => {
    const out: Record<string, string | undefined> = {};
    if (this.friendlyName.trim() === '') out.friendlyName = 'Enter a friendly name, e.g. the hostname and the month.';
    else if (this.friendlyName.trim().length > 128) out.friendlyName = 'Keep the friendly name under 128 characters.';
    if (!this.subjectResult.ok) {
      for (const problem of this.subjectResult.problems) out[problem.field] ??= problem.message;
    }
    if (!Number.isInteger(this.validityDays) || this.validityDays < 1 || this.validityDays > 3650) {
      out.validityDays = 'Validity must be a whole number of days from 1 to 3650.';
    }
    return out;
  });

  readonly valid = $derived(Object.values(this.problems).every((problem) => problem === undefined));

  /** The IP addresses among the SANs: the guide does not recommend them, so the form warns. */
  readonly ipAddressSans: string[] = $derived(
    this.subjectAltNames.filter((name) => {
      const result = validateSubjectAltName(name);
      return result.ok && result.value.type === 'ip';
    }),
  );

  /** Starts from given values (Re-key prefills the certificate's subject and names). */
  load(initial: Partial<Omit<CreateInput, 'validityDays'>>): void {
    if (initial.friendlyName !== undefined) this.friendlyName = initial.friendlyName;
    if (initial.algorithm !== undefined) this.algorithm = initial.algorithm;
    if (initial.exportable !== undefined) this.exportable = initial.exportable;
    if (initial.subject) for (const field of SUBJECT_FIELDS) this.subject[field] = initial.subject[field] ?? '';
    if (initial.subjectAltNames) this.subjectAltNames = [...initial.subjectAltNames];
  }

  /** The problem to show under a field now, if any. */
  shown(field: string): string | undefined {
    return this.submitted || this.touched[field] ? this.problems[field] : undefined;
  }

  touch(field: string): void {
    this.touched[field] = true;
  }

  /** Adds the drafted Subject Alternative Name; returns whether it was added. */
  addSan(): boolean {
    const result = validateSubjectAltName(this.sanDraft);
    if (!result.ok) {
      this.sanProblem = result.problems[0]?.message;
      return false;
    }
    const value = result.value.value;
    if (this.subjectAltNames.includes(value)) {
      this.sanProblem = `${value} is already in the list.`;
      return false;
    }
    this.subjectAltNames.push(value);
    this.sanDraft = '';
    this.sanProblem = undefined;
    return true;
  }

  removeSan(value: string): void {
    this.subjectAltNames = this.subjectAltNames.filter((entry) => entry !== value);
  }

  /** Marks every field as submitted; returns the input when it is valid. */
  submit(): CreateInput | undefined {
    this.submitted = true;
    if (!this.valid || !this.subjectResult.ok) return undefined;
    // A SAN typed but not added is what the admin meant: add it rather than lose it.
    if (this.sanDraft.trim() !== '' && !this.addSan()) return undefined;
    return {
      friendlyName: this.friendlyName.trim(),
      algorithm: this.algorithm,
      subject: this.subjectResult.value,
      subjectAltNames: [...this.subjectAltNames],
      exportable: this.exportable,
      validityDays: this.validityDays,
    };
  }

  reset(): void {
    this.friendlyName = '';
    for (const field of SUBJECT_FIELDS) this.subject[field] = '';
    this.subjectAltNames = [];
    this.sanDraft = '';
    this.sanProblem = undefined;
    this.touched = {};
    this.submitted = false;
  }
}
