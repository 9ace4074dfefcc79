// Stack traces for the test suite: frames of node_modules are printed as V8 prints them, and only the frames of
// lib/, test/ and examples/ go through jest's source-map support. cdktf captures the whole call stack for every token
// a provider class makes, and aws-cdk-lib one per construct metadata entry; source-mapping every frame of each (through
// cdktf's inline source maps) cost about 12 s of CPU per `npm test`. Frames of this repository's files are mapped
// exactly as before, so failure messages and any test reading a stack see the same lines for them.
'use strict';
const mapped = Error.prepareStackTrace;
if (typeof mapped === 'function') {
  const inNodeModules = /[\\/]node_modules[\\/]/;
  const probe = { name: 'Probe', message: '' };
  const prefix = mapped(probe, []);
  Error.prepareStackTrace = function prepareStackTrace(error, frames) {
    let out = mapped(error, []);
    for (const frame of frames) {
      const file = frame.isNative() ? undefined : frame.getFileName();
      out += file != null && inNodeModules.test(file) ? `\n    at ${frame}` : mapped(probe, [frame]).slice(prefix.length);
    }
    return out;
  };
}
