/**
 * Reading the SDK calls of CloudFormation custom resources, so that a credential created at deploy time by a custom
 * resource is judged like the resource type that would have created it in the template.
 *
 * aws-cdk-lib's `AwsCustomResource` synthesizes a resource of type `Custom::AWS` (or the `resourceType` the user
 * gave) whose `Create` / `Update` / `Delete` properties are JSON STRINGS holding
 * `{"service": "IAM", "action": "createAccessKey", "parameters": {...}, ...}`. Its handler `JSON.parse`s them.
 * When a parameter is a token, the string becomes an `Fn::Join` of literal JSON text around the intrinsics:
 * `["{\"service\":\"IAM\",...\"UserName\":\"", {"Ref": "User"}, "\"}}"]` (a token in a string position), or
 * `[..."\"Count\":", {"Ref": "N"}, ",..."]` (a number token, outside any string). Hand-written templates may use
 * `Fn::Sub` instead, and older handlers took the call as an object.
 *
 * The literal parts are read as JSON with each intrinsic standing in as a placeholder, and the placeholders are put
 * back as the intrinsics they were: a parameter value inside a string becomes `{"Fn::Join": ["", [text, intrinsic,
 * text]]}`, a whole value becomes the intrinsic itself, so rules classify it with `origin()` as they classify any
 * property. Nothing is evaluated.
 *
 * `service` is written `IAM`, `iam` or `@aws-sdk/client-iam`; `action` `createAccessKey`, `CreateAccessKey` or
 * `CreateAccessKeyCommand`: {@link CustomResourceCall.serviceKey} / `actionKey` are the lower-case forms without the
 * package prefix and the `Command` suffix (`iam`, `createaccesskey`; `secretsmanager` for
 * `@aws-sdk/client-secrets-manager`).
 *
 * Internal module (not part of the jsii API). Engine-neutral, no CDK imports.
 */
import type { AnalysisContext } from '../analysis';
import { Memo } from '../analysis';
import { NormalizedResource } from '../model';
import { NestingError, nestsDeeperThan, TOO_DEEP } from '../nesting';
import { isObject, Obj } from '../policy/json';
import { InputError } from './input-error';

/** The three lifecycle properties of an `AwsCustomResource`. */
export const CALL_PHASES = ['Create', 'Update', 'Delete'] as const;
export type CallPhase = typeof CALL_PHASES[number];

/** One SDK call a custom resource makes at deploy time. */
export interface CustomResourceCall {
  readonly phase: CallPhase;
  /** As written: `IAM`, `@aws-sdk/client-iam`. */
  readonly service: string;
  /** As written: `createAccessKey`, `CreateAccessKeyCommand`. */
  readonly action: string;
  /** `iam`, `secretsmanager`, `ssm`. */
  readonly serviceKey: string;
  /** `createaccesskey`, `createsecret`. */
  readonly actionKey: string;
  /** The call's parameters, tokens put back as intrinsics; `{}` when the call has none. */
  readonly parameters: Obj;
  /** Set when `parameters` itself is a token (or not an object): which parameters are sent cannot be known. */
  readonly parametersUnknown?: string;
}

/** A lifecycle property that holds a call that could not be read statically. */
export interface UnreadableCall {
  readonly phase: CallPhase;
  readonly reason: string;
}

/** What {@link customResourceCalls} found on one resource. */
export interface CustomResourceCalls {
  readonly calls: readonly CustomResourceCall[];
  readonly unreadable: readonly UnreadableCall[];
  /** The lifecycle properties that were read as calls (rules judge them through `calls`, not as plain properties). */
  readonly callProperties: readonly CallPhase[];
}

/** `Custom::Anything` and `AWS::CloudFormation::CustomResource`. */
export function isCustomResourceType(type: string): boolean {
  return type.startsWith('Custom::') || type === 'AWS::CloudFormation::CustomResource';
}

/** The `appliesTo` entries that reach every custom resource. */
export const CUSTOM_RESOURCE_TYPES: readonly string[] = ['Custom::*', 'AWS::CloudFormation::CustomResource'];

/** The logical id prefix of aws-cdk-lib's singleton AwsCustomResource provider function (uuid 679f53fa-c002-430c-b0da-5b7982bd2287). */
const AWS_CUSTOM_RESOURCE_PROVIDER = 'AWS679f53fac002430cb0da5b7982bd2287';

const EMPTY: CustomResourceCalls = Object.freeze({ calls: [], unreadable: [], callProperties: [] });

/** The calls of each custom resource read in a check: read once, however many rules ask. */
const CALLS = new Memo<NormalizedResource, CustomResourceCalls>('SDK calls of a custom resource');

/**
 * The SDK calls a custom resource makes (`Create`, `Update`, `Delete`), and the ones that could not be read.
 * A lifecycle property counts as a call when it reads as an object with `service` or `action`; a property that does
 * not read is reported unreadable only when the resource is an `AwsCustomResource` (type `Custom::AWS`, its
 * provider's service token, or call-shaped text), since other custom resources may use those names for anything.
 * With a context, each resource is read once per check, however many rules ask.
 */
export function customResourceCalls(resource: NormalizedResource, context?: AnalysisContext): CustomResourceCalls {
  if (resource.engine !== 'cloudformation' || !isCustomResourceType(resource.type)) return EMPTY;
  if (context === undefined) return readCalls(resource);
  return context.check.remember(CALLS, resource, () => readCalls(resource));
}

function readCalls(resource: NormalizedResource): CustomResourceCalls {
  const p = resource.properties;
  if (!CALL_PHASES.some((phase) => p[phase] !== undefined && p[phase] !== null)) return EMPTY;
  const sdk = resource.type === 'Custom::AWS' || JSON.stringify(p.ServiceToken ?? '').includes(AWS_CUSTOM_RESOURCE_PROVIDER);
  const calls: CustomResourceCall[] = [];
  const unreadable: UnreadableCall[] = [];
  const callProperties: CallPhase[] = [];
  for (const phase of CALL_PHASES) {
    const value = p[phase];
    if (value === undefined || value === null || value === '') continue;
    const read = readCall(value);
    if (read.calls.length > 0 || read.unreadable !== undefined) {
      const callShaped = read.calls.length > 0 || read.callShaped;
      if (!sdk && !callShaped) continue;
      callProperties.push(phase);
      calls.push(...read.calls.map((c) => ({ ...c, phase })));
      if (read.unreadable !== undefined) unreadable.push({ phase, reason: read.unreadable });
    }
  }
  return { calls, unreadable, callProperties };
}

type PartialCall = Omit<CustomResourceCall, 'phase'>;

interface ReadResult {
  readonly calls: PartialCall[];
  /** Why (part of) the property could not be read. */
  readonly unreadable?: string;
  /** The text mentions `"service"` / `"action"`: meant as an SDK call even if it does not read. */
  readonly callShaped?: boolean;
}

function readCall(value: unknown): ReadResult {
  const variants = textVariants(value, 0);
  if (variants === undefined) {
    if (isObject(value) && !isIntrinsic(value)) return fromParsed(value, false); // the call as an object (older handlers)
    return { calls: [], unreadable: `it is ${describeIntrinsic(value)}, not a JSON string` };
  }
  const calls: PartialCall[] = [];
  let unreadable: string | undefined;
  let callShaped = false;
  for (const parts of variants) {
    const { text, tokens } = withPlaceholders(parts);
    callShaped ||= /"(service|action)"\s*:/.test(text);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
      // `restore` and the rules walk the call recursively: deeper than the bound is refused, not a stack overflow.
      if (nestsDeeperThan(parsed)) throw new NestingError('the custom resource call JSON');
    } catch (e) {
      if (e instanceof NestingError) throw e;
      unreadable ??= tokens.length > 0
        ? 'its JSON text does not read with the deploy-time values left out (an intrinsic stands for part of the JSON itself)'
        : 'it is not valid JSON';
      continue;
    }
    const restored = restore(parsed, tokens);
    const one = fromParsed(restored, true);
    calls.push(...one.calls);
    unreadable ??= one.unreadable;
    callShaped ||= one.callShaped ?? false;
  }
  return { calls, ...(unreadable !== undefined ? { unreadable } : {}), callShaped };
}

function fromParsed(value: unknown, fromText: boolean): ReadResult {
  if (!isObject(value) || isIntrinsic(value)) {
    return fromText ? { calls: [], unreadable: 'its JSON is not an object' } : { calls: [] };
  }
  const hasService = 'service' in value;
  const hasAction = 'action' in value;
  if (!hasService && !hasAction) return fromText ? { calls: [], unreadable: 'its JSON has no service and no action', callShaped: false } : { calls: [] };
  const { service, action } = value;
  if (typeof service !== 'string' || typeof action !== 'string') {
    const which = typeof service !== 'string' ? 'service' : 'action';
    return { calls: [], unreadable: `its ${which} is ${value[which] === undefined ? 'missing' : 'only known at deploy time'}`, callShaped: true };
  }
  const parameters = value.parameters;
  const known = parameters === undefined || parameters === null || (isObject(parameters) && !isIntrinsic(parameters));
  return {
    calls: [{
      service,
      action,
      serviceKey: serviceKey(service),
      actionKey: actionKey(action),
      parameters: known && isObject(parameters) ? parameters : {},
      ...(known ? {} : { parametersUnknown: `its parameters are ${describeIntrinsic(parameters)}` }),
    }],
    callShaped: true,
  };
}

/** `@aws-sdk/client-secrets-manager` → `secretsmanager`, `IAM` → `iam`. */
export function serviceKey(service: string): string {
  return service.trim().replace(/^@aws-sdk\/client-/i, '').replace(/[^A-Za-z0-9]/g, '').toLowerCase();
}

/** `CreateAccessKeyCommand` → `createaccesskey`. */
export function actionKey(action: string): string {
  return action.trim().replace(/Command$/, '').toLowerCase();
}

/** A part of a call's text: literal JSON text, or an intrinsic whose value is only known at deploy time. */
type Part = { readonly text: string } | { readonly token: unknown };

const MAX_VARIANTS = 8;

/**
 * The call's text as literal parts and intrinsics, one list per variant (`Fn::If` gives two); undefined when the
 * value is not text at all (an object, a `Ref`, ...).
 */
function textVariants(value: unknown, depth: number): Part[][] | undefined {
  if (typeof value === 'string') return [[{ text: value }]];
  if (!isIntrinsic(value) || depth > 4) return undefined;
  const [fn, arg] = Object.entries(value as Obj)[0];
  if (fn === 'Fn::Join') {
    if (!Array.isArray(arg) || typeof arg[0] !== 'string' || !Array.isArray(arg[1])) return undefined;
    let variants: Part[][] = [[]];
    (arg[1] as unknown[]).forEach((element, i) => {
      const sep: Part[] = i > 0 && arg[0] !== '' ? [{ text: arg[0] as string }] : [];
      const inner = typeof element === 'number' || typeof element === 'boolean'
        ? [[{ text: String(element) }]]
        : textVariants(element, depth + 1) ?? [[{ token: element }]];
      variants = variants.flatMap((v) => inner.map((w) => [...v, ...sep, ...w])).slice(0, MAX_VARIANTS);
    });
    return variants;
  }
  if (fn === 'Fn::Sub') {
    const template = Array.isArray(arg) ? arg[0] : arg;
    const vars = Array.isArray(arg) && isObject(arg[1]) ? arg[1] : {};
    if (typeof template !== 'string') return undefined;
    const parts: Part[] = [];
    let last = 0;
    const re = /\$\{([^}]*)\}/g;
    let m: RegExpExecArray | null;
    while ((m = re.exec(template)) !== null) {
      parts.push({ text: template.slice(last, m.index) });
      const expr = m[1];
      if (expr.startsWith('!')) parts.push({ text: `\${${expr.slice(1)}}` });
      else if (expr.trim() in vars) {
        const v = vars[expr.trim()];
        parts.push(typeof v === 'string' ? { text: v } : { token: v });
      } else if (expr.includes('.')) {
        const dot = expr.indexOf('.');
        parts.push({ token: { 'Fn::GetAtt': [expr.slice(0, dot).trim(), expr.slice(dot + 1).trim()] } });
      } else parts.push({ token: { Ref: expr.trim() } });
      last = m.index + m[0].length;
    }
    parts.push({ text: template.slice(last) });
    return [parts];
  }
  if (fn === 'Fn::If' && Array.isArray(arg) && arg.length === 3) {
    const out: Part[][] = [];
    for (const branch of arg.slice(1)) {
      if (isObject(branch) && Object.keys(branch).length === 1 && 'Ref' in branch && branch.Ref === 'AWS::NoValue') continue;
      const v = textVariants(branch, depth + 1);
      if (v === undefined) return undefined;
      out.push(...v);
    }
    return out.slice(0, MAX_VARIANTS);
  }
  return undefined;
}

// Private-use characters: a placeholder inside a JSON string, and a whole JSON value standing for an intrinsic.
const IN_STRING = '\uE000';
const WHOLE = '\uE002';
const END = '\uE001';
const PLACEHOLDER = /\uE000(\d+)\uE001/g;
const WHOLE_VALUE = /^\uE002(\d+)\uE001$/;

/**
 * Joins the parts into JSON text, each intrinsic replaced by a placeholder that keeps the JSON valid: inside a string
 * (`"UserName":"<token>"`) the placeholder is bare text, outside one (`"Count":<token>`) it is a quoted string.
 */
function withPlaceholders(parts: readonly Part[]): { text: string; tokens: unknown[] } {
  const tokens: unknown[] = [];
  let text = '';
  let inString = false;
  let escaped = false;
  for (const part of parts) {
    if ('text' in part) {
      for (const c of part.text) {
        if (escaped) escaped = false;
        else if (inString && c === '\\') escaped = true;
        else if (c === '"') inString = !inString;
      }
      text += part.text;
    } else {
      const i = tokens.push(part.token) - 1;
      text += inString ? `${IN_STRING}${i}${END}` : `"${WHOLE}${i}${END}"`;
      escaped = false;
    }
  }
  return { text, tokens };
}

/** Puts the intrinsics back where their placeholders are. */
function restore(value: unknown, tokens: readonly unknown[]): unknown {
  if (typeof value === 'string') {
    const whole = WHOLE_VALUE.exec(value);
    if (whole) return tokens[Number(whole[1])];
    if (!value.includes(IN_STRING)) return value;
    const parts: unknown[] = [];
    let last = 0;
    for (const m of value.matchAll(PLACEHOLDER)) {
      if (m.index > last) parts.push(value.slice(last, m.index));
      parts.push(tokens[Number(m[1])]);
      last = m.index + m[0].length;
    }
    if (last < value.length) parts.push(value.slice(last));
    // `"UserName":"<token>"`: the string is the token's value.
    return parts.length === 1 ? parts[0] : { 'Fn::Join': ['', parts] };
  }
  if (Array.isArray(value)) return value.map((v) => restore(v, tokens));
  if (isObject(value)) {
    const out: Obj = {};
    for (const [k, v] of Object.entries(value)) out[k.replace(PLACEHOLDER, '*').replace(/\uE002\d+\uE001/g, '*')] = restore(v, tokens);
    return out;
  }
  return value;
}

function isIntrinsic(value: unknown): boolean {
  if (!isObject(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'));
}

function describeIntrinsic(value: unknown): string {
  if (isIntrinsic(value)) return `a ${Object.keys(value as Obj)[0]}`;
  if (Array.isArray(value)) return 'a list';
  return `a ${value === null ? 'null' : typeof value}`;
}

/**
 * Notes for the calls of a set's custom resources that could not be read, one per resource and property: a rule
 * that cannot see what a custom resource calls must say so, never pass it silently.
 */
export function unreadableCallNotes(resources: readonly NormalizedResource[]): string[] {
  const notes: string[] = [];
  for (const r of resources) {
    let read: CustomResourceCalls;
    try {
      read = customResourceCalls(r);
    } catch (e) {
      // Call JSON nested deeper than MAX_NESTING: the template is unusable input, like any file nested that deep.
      if (e instanceof NestingError) throw new InputError(r.file, `${TOO_DEEP} (Resources.${r.address})`);
      throw e;
    }
    for (const u of read.unreadable) {
      notes.push(`${r.file}: ${r.address} (${r.type}): the ${u.phase} call could not be read statically (${u.reason}); `
        + 'KL-AWS-01/02/03/06 could not check which SDK call it makes at deploy time');
    }
    for (const c of read.calls) {
      if (c.parametersUnknown === undefined || FINDINGS_WHATEVER_THEY_PASS.has(`${c.serviceKey}:${c.actionKey}`)) continue;
      notes.push(`${r.file}: ${r.address} (${r.type}): the parameters of its ${c.phase} call ${c.service} ${c.action} could not be read statically `
        + `(${c.parametersUnknown}); KL-AWS-06 could not check whether it passes a literal secret`);
    }
  }
  return notes;
}

/** The IAM credential calls: KL-AWS-01/02/03 report them whatever parameters they pass, so unknown parameters hide nothing. */
const FINDINGS_WHATEVER_THEY_PASS = new Set([
  'iam:createaccesskey', 'iam:createloginprofile', 'iam:updateloginprofile', 'iam:createservicespecificcredential',
  'iam:resetservicespecificcredential', 'iam:uploadsshpublickey', 'iam:uploadsigningcertificate',
]);

/** The calls of one action, over the phases that make it. */
export interface CallGroup {
  /** The first of the calls (service and action as written there). */
  readonly call: CustomResourceCall;
  /** Every call of this action, one per phase (and per `Fn::If` branch). */
  readonly calls: readonly CustomResourceCall[];
}

/**
 * The resource's calls to `service` (a {@link serviceKey}) with one of `actions` ({@link actionKey}s), one group per
 * action. `context`: see {@link customResourceCalls}.
 */
export function callsTo(resource: NormalizedResource, service: string, actions: readonly string[], context?: AnalysisContext): CallGroup[] {
  const groups = new Map<string, CustomResourceCall[]>();
  for (const call of customResourceCalls(resource, context).calls) {
    if (call.serviceKey !== service || !actions.includes(call.actionKey)) continue;
    const list = groups.get(call.actionKey) ?? [];
    list.push(call);
    groups.set(call.actionKey, list);
  }
  return [...groups.values()].map((calls) => ({ call: calls[0], calls }));
}

/** `custom resource Seed (Custom::AWS) calls IAM createAccessKey on Create and Update`. */
export function describeCall(resource: NormalizedResource, calls: readonly CustomResourceCall[]): string {
  const phases = [...new Set(calls.map((c) => c.phase))];
  const on = phases.length === 1 ? phases[0] : `${phases.slice(0, -1).join(', ')} and ${phases[phases.length - 1]}`;
  return `custom resource ${resource.address} (${resource.type}) calls ${calls[0].service} ${calls[0].action} on ${on}`;
}

/** Why a secret a call RETURNS is exposed (createAccessKey, createServiceSpecificCredential). */
export const RESPONSE_EXPOSURE = 'the secret comes back in the custom resource\'s response data, readable with Fn::GetAtt anywhere in the stack, '
  + 'and aws-cdk-lib\'s AwsCustomResource also logs the response to CloudWatch Logs unless logApiResponseData is false';

/** Why a secret a call SENDS is exposed (createLoginProfile, createSecret, putParameter). */
export const REQUEST_EXPOSURE = 'the custom resource hands it to its provider function in plain text, and aws-cdk-lib\'s AwsCustomResource '
  + 'logs every request, parameters included, to CloudWatch Logs';
