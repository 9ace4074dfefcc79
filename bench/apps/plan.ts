/** Generated federation plans: N workloads, each with one Snowflake and one Entra target. */

export const ACCOUNT = '111122223333';
export const REGION = 'eu-west-1';
export const ISSUER = 'https://0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d.tokens.sts.global.api.aws';
/** Entra's limit of federated identity credentials per application. */
export const FICS_PER_APPLICATION = 20;

export interface PlanJson {
  account: string;
  issuerUrl: string;
  workloads: {
    name: string;
    roleName: string;
    rolePath: string;
    compute: string;
    targets: { name: string; kind: string; snowflakeUser?: string; entraApplication?: string }[];
  }[];
}

export function pad(i: number): string {
  return String(i).padStart(4, '0');
}

/** The plan as the JSON text a user commits (`plan.json`); both variants start from this text. */
export function planJson(workloads: number): string {
  const plan: PlanJson = {
    account: ACCOUNT,
    issuerUrl: ISSUER,
    workloads: Array.from({ length: workloads }, (_, i) => ({
      name: `wl-${pad(i)}`,
      roleName: `keyless-wl-${pad(i)}`,
      rolePath: '/workloads/',
      compute: 'lambda',
      targets: [
        { name: 'warehouse', kind: 'snowflake', snowflakeUser: `SVC_WL_${pad(i)}` },
        { name: 'graph', kind: 'entra', entraApplication: `data-app-${pad(Math.floor(i / FICS_PER_APPLICATION))}` },
      ],
    })),
  };
  return JSON.stringify(plan, null, 2);
}

/** What a hand-written app hard-codes per target kind (the library's defaults, DESIGN §1.2). */
export const RAW_TARGETS: { [kind: string]: { audience: string; algorithm: string } } = {
  snowflake: { audience: 'snowflakecomputing.com', algorithm: 'ES384' },
  entra: { audience: 'api://AzureADTokenExchange', algorithm: 'RS256' },
};
