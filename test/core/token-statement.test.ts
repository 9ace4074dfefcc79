import { durationOperator, plannedTokenStatementParts, TokenAware, webIdentityTokenStatementParts } from '../../lib/core/token-statement';
import { SigningAlgorithm } from '../../lib/core/token';
import { errorOf } from '../support/validation-error';

/** An engine whose tokens are `tokens`; what it was told it could not check goes to `seen`. */
function engine(tokens: unknown[] = [], seen: string[] = []): TokenAware {
  return {
    isUnresolved: (v) => tokens.includes(v),
    unchecked: (property, what) => { seen.push(`${property}: ${what}`); },
  };
}

describe('lib/core token statements (shared by the CDK and CDKTF constructs)', () => {
  test('the lifetime operator: IfExists from the 300 s STS default up, strict below it', () => {
    expect([60, 299, 300, 3600].map(durationOperator)).toEqual(['NumericLessThanEquals', 'NumericLessThanEquals', 'NumericLessThanEqualsIfExists', 'NumericLessThanEqualsIfExists']);
  });

  test('a planned request builds exactly the statement the validating builder builds', () => {
    for (const signingAlgorithm of [SigningAlgorithm.RS256, SigningAlgorithm.ES384]) {
      for (const durationSeconds of [60, 299, 300, 900, 3600]) {
        const audience = 'api://AzureADTokenExchange';
        expect(plannedTokenStatementParts({ audience, signingAlgorithm, durationSeconds }))
          .toEqual(webIdentityTokenStatementParts({ audiences: [audience], signingAlgorithm, maxLifetimeSeconds: durationSeconds }, 'S/R', engine()));
      }
    }
  });

  test('a token audience is reported to the engine, not validated; a token list is refused', () => {
    const token = '${Token[TOKEN.1]}';
    const seen: string[] = [];
    const parts = webIdentityTokenStatementParts({ audiences: [token], signingAlgorithm: SigningAlgorithm.RS256 }, 'S/R', engine([token], seen));
    expect(parts.conditions['ForAllValues:StringEquals']).toEqual({ 'sts:IdentityTokenAudience': [token] });
    expect(seen).toEqual(['audiences: audiences[0]']);
    const list = ['#{Token[TOKEN.2]}'];
    const refused = errorOf(() => webIdentityTokenStatementParts({ audiences: list, signingAlgorithm: SigningAlgorithm.RS256 }, 'S/R', engine([list])));
    expect([refused.path, refused.property, refused.rule]).toEqual(['S/R', 'audiences', 'audience.count']);
  });

  test('request tags: the tag action, the allowed keys and the pinned values', () => {
    const parts = webIdentityTokenStatementParts({ audiences: ['a'], signingAlgorithm: SigningAlgorithm.ES384, allowedRequestTagKeys: ['team'], requiredRequestTags: { env: 'prod' } }, 'S/R', engine());
    expect(parts.actions).toEqual(['sts:GetWebIdentityToken', 'sts:TagGetWebIdentityToken']);
    expect(parts.conditions).toEqual({
      'ForAllValues:StringEquals': { 'sts:IdentityTokenAudience': ['a'], 'aws:TagKeys': ['team', 'env'] },
      'Null': { 'sts:IdentityTokenAudience': 'false', 'aws:TagKeys': 'false' },
      'StringEquals': { 'sts:SigningAlgorithm': 'ES384', 'aws:RequestTag/env': 'prod' },
      'NumericLessThanEqualsIfExists': { 'sts:DurationSeconds': '300' },
    });
  });
});
