/**
 * Form state of the Appliances page: validation as the admin types, one line under each field,
 * using the core's own rules (checkedHostname, checkedIpAddress) so the form never accepts what
 * the store would refuse.
 */
import type { Appliance, ApplianceInput, ApplianceRole } from '../../core/appliance/appliance';
import { checkedHostname, checkedIpAddress } from '../../core/appliance/appliance';
import { CertdeskError } from '../../core/errors';

function problemOf(check: () => unknown): string | undefined {
  try {
    check();
    return undefined;
  } catch (error) {
    return error instanceof CertdeskError ? error.message : 'This value is not valid.';
  }
}

/** Shows a field's problem once it was typed in or left, or after a submit attempt. */
class Touched {
  touched = $state<Record<string, boolean>>({});
  submitted = $state(false);

  touch(field: string): void {
    this.touched[field] = true;
  }

  shown(problems: Record<string, string | undefined>, field: string): string | undefined {
    return this.submitted || this.touched[field] ? problems[field] : undefined;
  }

  resetTouched(): void {
    this.touched = {};
    this.submitted = false;
  }
}

/** The "Add Appliance" form, and the form that edits an appliance. */
export class ApplianceFormState extends Touched {
  name = $state('');
  role = $state<ApplianceRole>('backup');
  hostname = $state('');
  siteHostname = $state('');
  inProduction = $state(false);

  readonly problems: Record<string, string | undefined> = $derived.by(() => ({
    name: this.name.trim() === '' ? 'Give the appliance a name, e.g. "Backup appliance".' : this.name.trim().length > 80 ? 'Keep the name under 80 characters.' : undefined,
    hostname: this.hostname.trim() === '' ? 'Enter the appliance’s own hostname, e.g. support2.example.com.' : problemOf(() => checkedHostname(this.hostname)),
    siteHostname:
      this.siteHostname.trim() === ''
        ? 'Enter the site hostname clients connect to, e.g. support.example.com.'
        : problemOf(() => checkedHostname(this.siteHostname, 'site hostname')),
  }));

  readonly valid = $derived(Object.values(this.problems).every((p) => p === undefined));

  /** The input when valid; otherwise marks every field so its problem shows. */
  submit(): ApplianceInput | undefined {
    this.submitted = true;
    if (!this.valid) return undefined;
    return { name: this.name.trim(), role: this.role, hostname: this.hostname, siteHostname: this.siteHostname, inProduction: this.inProduction };
  }

  /** Starts from an appliance as it is (editing). */
  load(appliance: Appliance): void {
    this.name = appliance.name;
    this.role = appliance.role;
    this.hostname = appliance.hostname;
    this.siteHostname = appliance.siteHostname;
    this.inProduction = appliance.inProduction;
    this.resetTouched();
  }

  reset(): void {
    this.name = '';
    this.hostname = '';
    this.siteHostname = '';
    this.inProduction = false;
    this.resetTouched();
  }
}

/** The "IP Address" + "DNS Name" form of one appliance. */
export class IpAddressForm extends Touched {
  ip = $state('');
  dnsName = $state('');

  readonly problems: Record<string, string | undefined> = $derived.by(() => ({
    ip: this.ip.trim() === '' ? 'Enter the address, e.g. 192.0.2.10.' : problemOf(() => checkedIpAddress(this.ip)),
    dnsName:
      this.dnsName.trim() === ''
        ? 'Enter the DNS name whose A-record points at this address.'
        : problemOf(() => checkedHostname(this.dnsName, 'DNS name')),
  }));

  readonly valid = $derived(Object.values(this.problems).every((p) => p === undefined));

  submit(): { ip: string; dnsName: string } | undefined {
    this.submitted = true;
    if (!this.valid) return undefined;
    return { ip: this.ip.trim(), dnsName: this.dnsName.trim() };
  }

  reset(): void {
    this.ip = '';
    this.dnsName = '';
    this.resetTouched();
  }
}

/** Backup passphrase and its confirmation. */
export class BackupPassphraseForm extends Touched {
  passphrase = $state('');
  confirm = $state('');

  readonly problems: Record<string, string | undefined> = $derived.by(() => ({
    passphrase: this.passphrase.length < 8 ? 'Use at least 8 characters; the backup holds your exportable private keys.' : undefined,
    confirm: this.confirm !== this.passphrase ? 'Type the same passphrase again.' : undefined,
  }));

  readonly valid = $derived(Object.values(this.problems).every((p) => p === undefined));

  submit(): string | undefined {
    this.submitted = true;
    return this.valid ? this.passphrase : undefined;
  }

  reset(): void {
    this.passphrase = '';
    this.confirm = '';
    this.resetTouched();
  }
}
