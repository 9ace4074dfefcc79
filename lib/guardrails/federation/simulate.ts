/**
 * Token simulation: for every workload -> trust pair the join finds mintable, mint the JWT STS would issue (`iss`,
 * `sub` = role ARN, `aud`, `iat`/`exp` from the requested lifetime, `jti`, the `https://sts.amazonaws.com/` claims),
 * signed with a throwaway key of the granted algorithm, and verify it the way the relying party documents it accepts
 * tokens (exact issuer, audience and algorithm; exact subject, or a subject prefix for an Anthropic rule ending in
 * `*`). A pair whose simulated token is refused is not reachable, whatever the join concluded. Uses `jose`; async,
 * so it runs in `keyless check`, not inside CDK's synchronous validation. `jose` is loaded only when there is a pair
 * to simulate: most checks have none, and loading it was about a sixth of `keyless check`'s start-up.
 */
import { randomUUID } from 'crypto';
import type { createLocalJWKSet, JWK, KeyLike } from 'jose';
import { DEFAULT_TOKEN_LIFETIME_SECONDS } from '../../core/token';
import { FederationPair, RelyingPartyTrust, Workload } from './model';

type Jose = typeof import('jose');

/** The throwaway signing keys of one simulation, one per algorithm, with the JWKS that publishes them. */
class SimulatedIssuerKeys {
  private readonly keys = new Map<string, Promise<{ privateKey: KeyLike; jwk: JWK }>>();

  constructor(readonly jose: Jose) {}

  key(alg: string): Promise<{ privateKey: KeyLike; jwk: JWK }> {
    let key = this.keys.get(alg);
    if (!key) {
      key = this.jose.generateKeyPair(alg).then(async ({ privateKey, publicKey }) => ({ privateKey, jwk: { ...(await this.jose.exportJWK(publicKey)), kid: `simulated-${alg}`, alg, use: 'sig' } }));
      this.keys.set(alg, key);
    }
    return key;
  }

  async jwks(): Promise<ReturnType<typeof createLocalJWKSet>> {
    const keys = await Promise.all([...this.keys.values()]);
    return this.jose.createLocalJWKSet({ keys: keys.map((k) => k.jwk) });
  }
}

/** What one pair needs to be simulated. */
export interface SimulatedPair {
  readonly pair: FederationPair;
  readonly workload: Workload;
  readonly trust: RelyingPartyTrust;
  /** The issuer URL the workload's account signs as. */
  readonly issuer: string;
}

/** Mints the token STS would issue for the pair. */
async function mint(keys: SimulatedIssuerKeys, p: SimulatedPair, now: number): Promise<string> {
  const { privateKey } = await keys.key(p.pair.algorithm);
  const lifetime = p.trust.lifetimeSeconds ?? DEFAULT_TOKEN_LIFETIME_SECONDS;
  const iat = Math.floor(now / 1000);
  return new keys.jose.SignJWT({
    'https://sts.amazonaws.com/': {
      aws_account: p.workload.account,
    },
  })
    .setProtectedHeader({ alg: p.pair.algorithm, kid: `simulated-${p.pair.algorithm}`, typ: 'JWT' })
    .setIssuer(p.issuer)
    .setSubject(p.workload.arn!)
    .setAudience(p.pair.audience)
    .setIssuedAt(iat)
    .setExpirationTime(iat + lifetime)
    .setJti(randomUUID())
    .sign(privateKey);
}

/** Verifies a token as the pair's relying party does; resolves to why it is refused, or undefined. */
async function verify(token: string, keys: SimulatedIssuerKeys, trust: RelyingPartyTrust, now: number): Promise<string | undefined> {
  try {
    const { payload } = await keys.jose.jwtVerify(token, await keys.jwks(), {
      issuer: trust.issuer,
      audience: trust.audience,
      algorithms: [...trust.algorithms],
      ...(trust.subjectMatch === 'exact' && trust.subject !== undefined ? { subject: trust.subject } : {}),
      currentDate: new Date(now),
    });
    if (trust.subjectMatch === 'prefix' && !(payload.sub ?? '').startsWith(trust.subject!.slice(0, -1))) {
      return `the sub claim ${payload.sub} does not start with ${trust.subject!.slice(0, -1)}`;
    }
    if (trust.refusal) return trust.refusal;
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

/**
 * Simulates each pair; returns the pairs with `reachable` false and the verifier's reason where the relying party
 * refuses the simulated token.
 */
export async function simulatePairs(pairs: readonly SimulatedPair[], now: number = Date.now()): Promise<Map<FederationPair, string | undefined>> {
  const out = new Map<FederationPair, string | undefined>();
  if (pairs.length === 0) return out;
  const keys = new SimulatedIssuerKeys(await import('jose'));
  for (const alg of new Set(pairs.map((p) => p.pair.algorithm))) await keys.key(alg);
  for (const p of pairs) {
    const token = await mint(keys, p, now);
    out.set(p.pair, await verify(token, keys, p.trust, now));
  }
  return out;
}
