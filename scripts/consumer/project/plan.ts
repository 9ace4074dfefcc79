// The one federation plan both apps read (the committed plan.json), as a user's project would share it.
import * as fs from 'fs';
import * as path from 'path';
import { FederationPlan, PlannedWorkload } from 'cdk-keyless';

export const plan: FederationPlan = FederationPlan.fromJson(fs.readFileSync(path.join(__dirname, 'plan.json'), 'utf8'));

/** The plan's one workload. */
export const etl: PlannedWorkload = plan.workload('orders-etl');

/** Where the workload runs: explicit, so `cdk synth` needs no account or region lookup. */
export const region = 'eu-west-1';
