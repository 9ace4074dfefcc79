import * as fs from 'fs';
import * as inspector from 'inspector';
import * as path from 'path';

/**
 * CPU profile of the measured run only (not module loading or warm-up), when BENCH_PROFILE names a directory:
 * writes `<scenario>-<variant>-<pid>.cpuprofile` there (open in Chrome DevTools or speedscope).
 */
export class RunProfiler {
  private readonly session?: inspector.Session;

  constructor(private readonly dir: string | undefined, private readonly name: string) {
    if (!dir) return;
    this.session = new inspector.Session();
    this.session.connect();
  }

  private post(method: string, params?: object): Promise<any> {
    return new Promise((resolve, reject) => {
      this.session!.post(method, params ?? {}, (err, result) => (err ? reject(err) : resolve(result)));
    });
  }

  public async start(): Promise<void> {
    if (!this.session) return;
    await this.post('Profiler.enable');
    await this.post('Profiler.setSamplingInterval', { interval: 200 });
    await this.post('Profiler.start');
  }

  public async stop(): Promise<string | undefined> {
    if (!this.session || !this.dir) return undefined;
    const { profile } = await this.post('Profiler.stop');
    this.session.disconnect();
    fs.mkdirSync(this.dir, { recursive: true });
    const file = path.join(this.dir, `${this.name}-${process.pid}.cpuprofile`);
    fs.writeFileSync(file, JSON.stringify(profile));
    return file;
  }
}
