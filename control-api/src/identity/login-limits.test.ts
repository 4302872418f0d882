// Sign-in limits counted in this process: a stranger's failures from their own address never lock the
// owner out of theirs; the account-wide limit still holds a guesser spread over many addresses. The
// cases are the backend contract's (kernel/rate-limits.contract.ts), which Redis must pass too.
import { inMemoryRateLimits } from '../kernel/rate-limits';
import { describeRateLimitBackend } from '../kernel/rate-limits.contract';

describeRateLimitBackend('in memory', async () => inMemoryRateLimits);
