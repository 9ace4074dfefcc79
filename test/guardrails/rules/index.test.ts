import { CATALOG, ruleById } from '../../../lib/guardrails/rules';

/** DESIGN §3: ids, severities and order are a public contract. */
const EXPECTED: [string, 'error' | 'warning'][] = [
  ['KL-AWS-01', 'error'], ['KL-AWS-02', 'error'], ['KL-AWS-03', 'error'], ['KL-AWS-05', 'error'], ['KL-AWS-06', 'error'],
  ['KL-SF-01', 'error'], ['KL-SF-02', 'error'], ['KL-SF-03', 'error'], ['KL-SF-04', 'error'], ['KL-SF-05', 'error'], ['KL-SF-06', 'error'], ['KL-SF-07', 'warning'],
  ['KL-AZ-01', 'error'], ['KL-AZ-02', 'error'], ['KL-AZ-03', 'error'], ['KL-AZ-04', 'warning'],
  ['KL-TR-01', 'error'], ['KL-TR-02', 'error'], ['KL-TR-03', 'error'], ['KL-TR-04', 'warning'], ['KL-TR-05', 'error'],
  ['KL-GCP-01', 'error'], ['KL-GCP-02', 'error'], ['KL-GCP-03', 'error'],
];

describe('rule catalog', () => {
  test('exactly the DESIGN §3 ids and severities, in catalog order', () => {
    expect(CATALOG.map((r) => [r.id, r.severity])).toEqual(EXPECTED);
  });

  test('every rule has a title, a fix and the types it applies to', () => {
    for (const rule of CATALOG) {
      expect(rule.title.length).toBeGreaterThan(5);
      expect(rule.fix.length).toBeGreaterThan(20);
      expect(rule.appliesTo.length).toBeGreaterThan(0);
    }
  });

  test('both engines map to one rule where the catalog says so', () => {
    expect(ruleById('KL-AWS-01')?.appliesTo).toEqual(expect.arrayContaining(['AWS::IAM::AccessKey', 'aws_iam_access_key']));
    expect(ruleById('KL-AWS-05')?.appliesTo).toEqual(expect.arrayContaining(['AWS::Lambda::Function', 'aws_lambda_function', 'AWS::ECS::TaskDefinition', 'aws_ecs_task_definition']));
    expect(ruleById('KL-TR-01')?.appliesTo).toEqual(['AWS::IAM::Role', 'aws_iam_role']);
    expect(ruleById('KL-SF-07')?.appliesTo).toEqual(['snowflake']);
    expect(ruleById('KL-AZ-04')?.appliesTo).toEqual(['azuread']);
  });

  test('ruleById', () => {
    expect(ruleById('KL-SF-06')?.title).toMatch(/SQL/);
    expect(ruleById('KL-AWS-04')).toBeUndefined();
  });

  test('the catalog cannot be changed at run time', () => {
    expect(Object.isFrozen(CATALOG)).toBe(true);
  });
});
