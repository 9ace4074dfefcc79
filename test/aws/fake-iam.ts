import * as http from 'http';
import { AddressInfo } from 'net';

/** One request the fake IAM endpoint received. */
export interface RecordedRequest {
  readonly action: string;
  readonly version: string | null;
  readonly method: string;
  readonly contentType: string | undefined;
  readonly authorization: string | undefined;
}

/** An error the next call of `action` returns (then it is consumed). */
export interface InjectedError {
  readonly action: string;
  readonly status: number;
  readonly code: string;
  readonly type?: 'Sender' | 'Receiver';
}

const NS = 'https://iam.amazonaws.com/doc/2010-05-08/';
let requestCounter = 0;

function requestId(): string {
  requestCounter++;
  return `00000000-0000-4000-8000-${String(requestCounter).padStart(12, '0')}`;
}

function success(action: string, result: string): string {
  const resultXml = result ? `<${action}Result>${result}</${action}Result>` : '';
  return `<${action}Response xmlns="${NS}">${resultXml}<ResponseMetadata><RequestId>${requestId()}</RequestId></ResponseMetadata></${action}Response>`;
}

function error(code: string, message: string, type = 'Sender'): string {
  return `<ErrorResponse xmlns="${NS}"><Error><Type>${type}</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>${requestId()}</RequestId></ErrorResponse>`;
}

/**
 * A tiny IAM Query API (form-encoded POST, XML responses, shapes as in the IAM API reference) for
 * EnableOutboundWebIdentityFederation, GetOutboundWebIdentityFederationInfo and
 * DisableOutboundWebIdentityFederation, holding one account's state.
 */
export class FakeIam {
  public enabled: boolean;
  public issuer: string;
  /** When set, Get reports the feature as present but `JwtVendingEnabled` false instead of 404. */
  public reportDisabledAsFalse = false;
  public readonly requests: RecordedRequest[] = [];
  public readonly injected: InjectedError[] = [];
  private server?: http.Server;

  constructor(options: { enabled?: boolean; issuer?: string } = {}) {
    this.enabled = options.enabled ?? false;
    this.issuer = options.issuer ?? 'https://a1d2b0fd-1177-4468-9351-2f0000000723.tokens.sts.global.api.aws';
  }

  public get actions(): string[] {
    return this.requests.map((r) => r.action);
  }

  public async start(): Promise<string> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
        const action = form.get('Action') ?? '';
        this.requests.push({ action, version: form.get('Version'), method: req.method ?? '', contentType: req.headers['content-type'], authorization: req.headers.authorization });
        const [status, body] = this.respond(action);
        res.writeHead(status, { 'content-type': 'text/xml', 'x-amzn-requestid': requestId() });
        res.end(body);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  public async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private respond(action: string): [number, string] {
    const i = this.injected.findIndex((e) => e.action === action);
    if (i !== -1) {
      const [e] = this.injected.splice(i, 1);
      return [e.status, error(e.code, `injected ${e.code}`, e.type)];
    }
    switch (action) {
      case 'EnableOutboundWebIdentityFederation':
        if (this.enabled) {
          return [409, error('FeatureEnabled', 'Outbound identity federation is already enabled for this account.')];
        }
        this.enabled = true;
        return [200, success(action, `<IssuerIdentifier>${this.issuer}</IssuerIdentifier>`)];
      case 'GetOutboundWebIdentityFederationInfo':
        if (!this.enabled && !this.reportDisabledAsFalse) {
          return [404, error('FeatureDisabled', 'Outbound identity federation is disabled for this account.')];
        }
        return [200, success(action, `<IssuerIdentifier>${this.issuer}</IssuerIdentifier><JwtVendingEnabled>${this.enabled}</JwtVendingEnabled>`)];
      case 'DisableOutboundWebIdentityFederation':
        if (!this.enabled) {
          return [404, error('FeatureDisabled', 'Outbound identity federation is already disabled for this account.')];
        }
        this.enabled = false;
        return [200, success(action, '')];
      default:
        return [400, error('InvalidAction', `Could not find operation ${action}`)];
    }
  }
}
