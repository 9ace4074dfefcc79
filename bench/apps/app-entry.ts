/**
 * The benchmark's `bin/app.ts`: required afresh by `buildAsLoadedApp` for every synth, so the app is built from a
 * module's top-level code as `cdk synth` builds it.
 */
import { runLoadingApp } from './loaded-app';

runLoadingApp();
