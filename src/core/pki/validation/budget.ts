/**
 * Work budgets for building one chain, as strict clients keep them (numbers and sources in
 * limits.ts): running out ends the build with a typed problem instead of running on.
 */
import { limits } from '../limits';

/** A work budget ran out. */
export class BudgetExhausted extends Error {
  constructor(readonly budget: 'signature-checks' | 'path-build-calls' | 'name-constraint-checks') {
    super(`budget ${budget} exhausted`);
    this.name = 'BudgetExhausted';
  }
}

/** Work budgets for one build (Go crypto/x509, rustls-webpki `Budget`). */
export class Budget {
  signatureChecks: number = limits.maxChainSignatureChecks;
  buildCalls: number = limits.maxPathBuildCalls;
  nameConstraintChecks: number = limits.maxNameConstraintChecks;

  spendSignatureCheck(): void {
    if (--this.signatureChecks < 0) throw new BudgetExhausted('signature-checks');
  }
  spendBuildCall(): void {
    if (--this.buildCalls < 0) throw new BudgetExhausted('path-build-calls');
  }
  spendNameConstraintChecks(n: number): void {
    this.nameConstraintChecks -= n;
    if (this.nameConstraintChecks < 0) throw new BudgetExhausted('name-constraint-checks');
  }
}
