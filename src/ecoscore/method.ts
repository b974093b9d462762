/**
 * The mesref écoscore method as data (`method.yaml`): device profiles for the measurement bench, the
 * good/bad thresholds of the three measures, and the coefficients that turn measures into energy,
 * greenhouse gases and water. Checked against its schema when loaded; every coefficient names its source
 * or says it is mesref's own assumption. An open method modelled on the public description of the national
 * écoscore, not the official one (whose thresholds and formulas are not public).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Static, Type } from '@sinclair/typebox';
import { DataFileError, type DataFileProblem, parseLocatedDataFile } from '../platform/datafile.ts';

export const DEVICES = ['smartphone', 'tablet', 'desktop'] as const;
export type Device = (typeof DEVICES)[number];

const Text = Type.String({ minLength: 1 });

/** Where a figure comes from: a named public source, or mesref's own assumption with its reasoning. */
const Sourced = {
  basis: Type.Union([Type.Literal('public'), Type.Literal('assumption')]),
  source: Text,
};

const Coefficient = Type.Object(
  { value: Type.Number({ minimum: 0 }), unit: Text, ...Sourced },
  { additionalProperties: false },
);

const Threshold = <U extends string>(unit: U) =>
  Type.Object(
    {
      /** At or below: sub-score 100. */
      good: Type.Number({ minimum: 0 }),
      /** At or above: sub-score 0. */
      bad: Type.Number({ exclusiveMinimum: 0 }),
      unit: Type.Literal(unit),
    },
    { additionalProperties: false },
  );

const DeviceProfileSchema = Type.Object(
  {
    viewport: Type.Object(
      { width: Type.Integer({ minimum: 200 }), height: Type.Integer({ minimum: 200 }) },
      { additionalProperties: false },
    ),
    deviceScaleFactor: Type.Number({ minimum: 1, maximum: 4 }),
    /** Mobile emulation (meta viewport, touch). */
    mobile: Type.Boolean(),
    /** Chromium CPU throttling rate (1: none). */
    cpuSlowdown: Type.Number({ minimum: 1, maximum: 20 }),
    /** Network emulation, as Chromium's DevTools protocol takes it. */
    network: Type.Object(
      {
        name: Text,
        latencyMs: Type.Number({ minimum: 0 }),
        downloadKbps: Type.Number({ exclusiveMinimum: 0 }),
        uploadKbps: Type.Number({ exclusiveMinimum: 0 }),
        ...Sourced,
      },
      { additionalProperties: false },
    ),
    /** Life over which the device's manufacturing footprint is amortised. */
    lifetimeYears: Type.Number({ exclusiveMinimum: 0 }),
    /** Daily active use: the lifetime's active hours are lifetimeYears × 365 × this. */
    usageHoursPerDay: Coefficient,
    manufacturing: Type.Object({ ghg: Coefficient, water: Coefficient }, { additionalProperties: false }),
    power: Type.Object({ cpuActive: Coefficient, screen: Coefficient }, { additionalProperties: false }),
    /** Per step. */
    thresholds: Type.Object(
      { energy: Threshold('mWh'), performance: Threshold('ms'), data: Threshold('KB') },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

export const MethodFileSchema = Type.Object(
  {
    id: Type.String({ pattern: '^[a-z0-9][a-z0-9.-]*$' }),
    statement: Type.Object({ fr: Text, en: Text }, { additionalProperties: false }),
    networkEnergy: Coefficient,
    electricity: Type.Object({ ghg: Coefficient, water: Coefficient }, { additionalProperties: false }),
    devices: Type.Object(
      { smartphone: DeviceProfileSchema, tablet: DeviceProfileSchema, desktop: DeviceProfileSchema },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

export type EcoscoreMethod = Static<typeof MethodFileSchema>;
export type DeviceProfile = Static<typeof DeviceProfileSchema>;
export type MethodCoefficient = Static<typeof Coefficient>;
export type Measure = keyof DeviceProfile['thresholds'];
export type Thresholds = DeviceProfile['thresholds'];

/** The method shipped with mesref. */
export const SHIPPED_METHOD_FILE = fileURLToPath(new URL('./method.yaml', import.meta.url));

/**
 * Parses and checks a method file: its schema, then what the schema cannot say (good below bad). Throws a
 * `DataFileError` with every problem, each with its line.
 */
export function parseMethod(text: string, file = 'method.yaml'): EcoscoreMethod {
  const { value, lineOf } = parseLocatedDataFile(text, MethodFileSchema, file);
  const problems: DataFileProblem[] = [];
  for (const device of DEVICES) {
    for (const [measure, threshold] of Object.entries(value.devices[device].thresholds)) {
      if (!(threshold.good < threshold.bad)) {
        const path = `/devices/${device}/thresholds/${measure}`;
        problems.push({ file, line: lineOf(path), path, message: 'good must be below bad' });
      }
    }
  }
  if (problems.length > 0) throw new DataFileError(problems);
  return value;
}

/** The method shipped with mesref, or another method file. */
export function loadMethod(path: string = SHIPPED_METHOD_FILE): EcoscoreMethod {
  const name = path === SHIPPED_METHOD_FILE ? 'src/ecoscore/method.yaml' : path;
  return parseMethod(readFileSync(path, 'utf8'), name);
}

/** Every coefficient of a device profile with its place in the file, for the report and the docs. */
export function coefficientsOf(
  method: EcoscoreMethod,
  device: Device,
): Array<{ name: string; coefficient: MethodCoefficient }> {
  const profile = method.devices[device];
  return [
    { name: 'power.cpuActive', coefficient: profile.power.cpuActive },
    { name: 'power.screen', coefficient: profile.power.screen },
    { name: 'manufacturing.ghg', coefficient: profile.manufacturing.ghg },
    { name: 'manufacturing.water', coefficient: profile.manufacturing.water },
    { name: 'usageHoursPerDay', coefficient: profile.usageHoursPerDay },
    { name: 'networkEnergy', coefficient: method.networkEnergy },
    { name: 'electricity.ghg', coefficient: method.electricity.ghg },
    { name: 'electricity.water', coefficient: method.electricity.water },
  ];
}

const number = (value: number) => String(value);

/**
 * The method as Markdown tables (device profiles, thresholds, coefficients with their sources), for
 * docs/ecoscore.md: a test keeps the two identical.
 */
export function methodTables(method: EcoscoreMethod): string {
  const header = (...cells: string[]) => [
    `| ${cells.join(' | ')} |`,
    `|${cells.map(() => '---').join('|')}|`,
  ];
  const row = (...cells: string[]) => `| ${cells.join(' | ')} |`;
  const lines = [`Method \`${method.id}\`.`, '', '**Device profiles** (the bench)', ''];
  lines.push(...header('Profile', 'Viewport', 'Scale factor', 'CPU slowdown', 'Network', 'Lifetime'));
  for (const device of DEVICES) {
    const p = method.devices[device];
    const n = p.network;
    lines.push(
      row(
        device,
        `${p.viewport.width}×${p.viewport.height}${p.mobile ? ' (mobile)' : ''}`,
        number(p.deviceScaleFactor),
        `${number(p.cpuSlowdown)}×`,
        `${n.name}: ${number(n.latencyMs)} ms, ↓ ${number(n.downloadKbps)} kbit/s, ↑ ${number(n.uploadKbps)} kbit/s`,
        `${number(p.lifetimeYears)} years`,
      ),
    );
  }
  lines.push('', '**Thresholds per step** (sub-score 100 at or below good, 0 at or above bad)', '');
  lines.push(...header('Profile', 'Energy (device, mWh)', 'Performance (ms)', 'Data (KB)'));
  for (const device of DEVICES) {
    const t = method.devices[device].thresholds;
    const cell = (m: Measure) => `${number(t[m].good)} – ${number(t[m].bad)}`;
    lines.push(row(device, cell('energy'), cell('performance'), cell('data')));
  }
  lines.push('', '**Coefficients**', '');
  lines.push(...header('Coefficient', 'Profile', 'Value', 'Basis', 'Source'));
  const coefficientRow = (name: string, profile: string, c: MethodCoefficient) =>
    row(`\`${name}\``, profile, `${number(c.value)} ${c.unit}`, c.basis, c.source.replace(/\s+/g, ' '));
  lines.push(coefficientRow('networkEnergy', 'all', method.networkEnergy));
  lines.push(coefficientRow('electricity.ghg', 'all', method.electricity.ghg));
  lines.push(coefficientRow('electricity.water', 'all', method.electricity.water));
  for (const device of DEVICES) {
    for (const { name, coefficient } of coefficientsOf(method, device).slice(0, 5)) {
      lines.push(coefficientRow(name, device, coefficient));
    }
  }
  for (const device of DEVICES) {
    const n = method.devices[device].network;
    lines.push(row('`network`', device, n.name, n.basis, n.source.replace(/\s+/g, ' ')));
  }
  return `${lines.join('\n')}\n`;
}
