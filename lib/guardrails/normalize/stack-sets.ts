/**
 * The templates `AWS::CloudFormation::StackSet` resources deploy to their target accounts. Organization-wide IAM is
 * often rolled out this way (a role, a user and its access key in every account of an OU), so a StackSet's
 * `TemplateBody` is checked as a template of its own: each is a set in the same file, its resources at their logical
 * ids in that template (references between them work as in any template), with the construct path
 * `<StackSet path or id>/TemplateBody/<logical id>` so that reports and exemptions can tell them from the outer
 * template's resources. The set has no account: a StackSet deploys to its targets.
 *
 * What cannot be read is a note on the outer set: a `TemplateURL` (the template is in S3), a `TemplateBody` that is
 * not a literal string (an intrinsic), or one that is not a template.
 *
 * Engine-neutral; internal module of the CloudFormation readers.
 */
import { NormalizedResource, Writable } from '../model';
import { isObject } from '../policy/json';
import { normalizeCloudFormation } from './cloudformation';
import { parseCloudFormationYaml } from './cloudformation-yaml';
import { InputError } from './input-error';
import type { NormalizedSet } from './set';

const STACK_SET = 'AWS::CloudFormation::StackSet';

/** `set`, then one set per StackSet template it holds (see above); `set` gets the notes of what could not be read. */
export function withStackSetTemplates(set: NormalizedSet): NormalizedSet[] {
  if (set.engine !== 'cloudformation' || !set.resources.some((r) => r.type === STACK_SET)) return [set];
  const inner: NormalizedSet[] = [];
  const notes: string[] = [];
  for (const stackSet of set.resources) {
    if (stackSet.type !== STACK_SET) continue;
    const where = `${set.file}: ${stackSet.address} (${STACK_SET})`;
    const body = stackSet.properties.TemplateBody;
    if (body === undefined) {
      const url = stackSet.properties.TemplateURL;
      notes.push(`${where} deploys the template at TemplateURL${typeof url === 'string' ? ` ${url}` : ''}, which is not read: its resources are not checked`);
      continue;
    }
    if (typeof body !== 'string') {
      notes.push(`${where}: its TemplateBody is not a literal string (${isObject(body) ? Object.keys(body).join(', ') : typeof body}): the template it deploys is not checked`);
      continue;
    }
    let template: NormalizedSet;
    try {
      template = normalizeCloudFormation(parseCloudFormationYaml(body, set.file), set.file);
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      notes.push(`${where}: its TemplateBody is not a template (${e.reason}): the template it deploys is not checked`);
      continue;
    }
    const prefix = `${stackSet.constructPath ?? stackSet.address}/TemplateBody/`;
    for (const resource of template.resources) (resource as Writable<NormalizedResource>).constructPath = `${prefix}${resource.address}`;
    // a StackSet template may hold StackSets of its own
    inner.push(...withStackSetTemplates(template));
  }
  const outer: NormalizedSet = notes.length === 0 ? set : { ...set, notes: [...(set.notes ?? []), ...notes] };
  return [outer, ...inner];
}
