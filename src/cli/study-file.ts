/**
 * Study files: the JSON that `hpo run` reads. The schema is written with zod so that one parse
 * reports every problem of a file at once, each with its path in the file and what was
 * expected (STYLE.md rule 14), and so that the JSON Schema in `studies/study.schema.json` is
 * generated from the same source rather than kept by hand.
 */
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';

import { z } from 'zod';

import { UsageError } from './errors.js';

const direction = z.enum(['minimize', 'maximize']);
const positive = z.number().positive();
const count = z.number().int().min(1);

/** Bounds checks live on each parameter so that they run even when another field fails. */
function checkBounds(spec: { low: number; high: number; log?: boolean }, ctx: z.RefinementCtx) {
  if (!(spec.low <= spec.high)) {
    ctx.addIssue({
      code: 'custom',
      path: ['high'],
      message: `expected high >= low (${spec.low}), got ${spec.high}`,
    });
  }
  if (spec.log === true && spec.low <= 0) {
    ctx.addIssue({
      code: 'custom',
      path: ['low'],
      message: `expected low > 0 on a log scale, got ${spec.low}`,
    });
  }
}

const floatParam = z
  .strictObject({
    type: z.literal('float'),
    low: z.number(),
    high: z.number(),
    log: z.boolean().optional(),
    step: positive.optional(),
  })
  .superRefine(checkBounds);

const intParam = z
  .strictObject({
    type: z.literal('int'),
    low: z.number().int(),
    high: z.number().int(),
    log: z.boolean().optional(),
    step: count.optional(),
  })
  .superRefine(checkBounds);

const choice = z.union([z.string(), z.number(), z.boolean(), z.null()]);

const categoricalParam = z.strictObject({
  type: z.literal('categorical'),
  choices: z.array(choice).min(1),
});

const simplexParam = z.strictObject({
  type: z.literal('simplex'),
  labels: z.array(z.string().min(1)).min(2),
});

const param = z.discriminatedUnion('type', [floatParam, intParam, categoricalParam, simplexParam]);

/** A sampler or pruner: its `type` plus the options its constructor takes, passed through. */
const component = <T extends readonly [string, ...string[]]>(types: T) =>
  z.looseObject({ type: z.enum(types) });

const SAMPLER_TYPES = ['tpe', 'random', 'gp', 'nsga2', 'qmc', 'grid'] as const;
const PRUNER_TYPES = [
  'nop',
  'median',
  'percentile',
  'successive-halving',
  'hyperband',
  'threshold',
  'patient',
  'pareto',
] as const;

const moduleObjective = z.strictObject({
  module: z.string().min(1),
  exportName: z.string().min(1).optional(),
});

const dataset = z.union([
  z.strictObject({ name: z.literal('multidigits'), seed: z.number().int().optional() }),
  z.strictObject({
    name: z.literal('csv'),
    path: z.string().min(1),
    features: z.array(z.string()).min(1).optional(),
  }),
]);

const task = z.strictObject({
  name: z.string().min(1),
  kind: z.enum(['classification', 'regression']).optional(),
  target: z.string().min(1).optional(),
});

const mtlObjective = z.strictObject({
  trainer: z.literal('mtl'),
  dataset,
  tasks: z.array(task).min(1),
  epochs: count.optional(),
  batchSize: count.optional(),
  seed: z.number().int().optional(),
  keepCheckpoints: z.enum(['all', 'pareto', 'none']).optional(),
  /** Further trainer options, passed through to `hpo/mtl` as they are. */
  options: z.record(z.string(), z.unknown()).optional(),
});

/** The zod schema of a study file. */
export const studyFileSchema = z
  .strictObject({
    $schema: z.string().optional(),
    name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, {
      error: 'expected a name of letters, digits, ".", "_" or "-" (at most 128 characters)',
    }),
    description: z.string().optional(),
    storage: z.string().min(1).optional(),
    directions: z.array(direction).min(1),
    metrics: z.array(z.string().min(1)).min(1).optional(),
    sampler: component(SAMPLER_TYPES).optional(),
    pruner: component(PRUNER_TYPES).optional(),
    searchSpace: z.record(z.string().min(1), param).optional(),
    trials: count,
    workers: count.max(64).optional(),
    trialTimeout: positive.optional(),
    timeout: positive.optional(),
    maxFailedFraction: z.number().min(0).max(1).optional(),
    heartbeat: z.strictObject({ interval: positive, gracePeriod: positive }).optional(),
    shutdownGrace: positive.optional(),
    reportDir: z.string().min(1).optional(),
    objective: z.union([moduleObjective, mtlObjective]),
  })
  .superRefine(checkConsistency);

/** A study file as parsed, before defaults. */
export type StudyFileInput = z.infer<typeof studyFileSchema>;
/** One parameter of a study file's search space. */
export type ParamSpec = z.infer<typeof param>;
/** A user-module objective. */
export type ModuleObjectiveSpec = z.infer<typeof moduleObjective>;
/** The built-in multi-task trainer objective. */
export type MtlObjectiveSpec = z.infer<typeof mtlObjective>;

/** A study file with every default filled in and paths made absolute. */
export interface StudyFile extends StudyFileInput {
  /** The absolute path of the file it was read from. */
  readonly path: string;
  readonly storage: string;
  readonly metrics: string[];
  readonly workers: number;
  readonly maxFailedFraction: number;
  readonly shutdownGrace: number;
  readonly reportDir: string;
}

/** Defaults of the optional study-file fields. */
export const STUDY_FILE_DEFAULTS = Object.freeze({
  workers: 1,
  maxFailedFraction: 0.25,
  shutdownGrace: 30,
});

function checkConsistency(file: StudyFileInput, ctx: z.RefinementCtx): void {
  const nObjectives = file.directions.length;
  if (file.metrics !== undefined && file.metrics.length !== nObjectives) {
    ctx.addIssue({
      code: 'custom',
      path: ['metrics'],
      message: `expected one metric per direction (${nObjectives}), got ${file.metrics.length}`,
    });
  }
  if ('trainer' in file.objective) {
    if (file.metrics === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['metrics'],
        message: 'expected the metric names the trainer reports, e.g. ["left.error"]',
      });
    }
    if (file.searchSpace === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['searchSpace'],
        message: 'expected a search space for the built-in trainer',
      });
    }
  }
  if ((file.workers ?? 1) > 1 && file.storage === ':memory:') {
    ctx.addIssue({
      code: 'custom',
      path: ['storage'],
      message: 'expected a shared store (sqlite:PATH) when workers > 1, got ":memory:"',
    });
  }
}

/**
 * Parses the text of a study file. Every problem is collected, then thrown together.
 * @param text - the file's JSON text.
 * @param path - where it was read from; relative paths inside it resolve from its folder,
 *   except `storage`, which follows the working directory as every storage URL does.
 * @throws {UsageError} listing each problem as `path: what was expected`.
 */
export function parseStudyFile(text: string, path: string): StudyFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${path} is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = studyFileSchema.safeParse(json);
  if (!parsed.success) {
    throw new UsageError(formatIssues(path, parsed.error.issues));
  }
  return withDefaults(parsed.data, resolve(path));
}

/** Reads and parses a study file. @throws {UsageError} when unreadable or invalid. */
export function readStudyFile(path: string): StudyFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read the study file ${path}: ${(error as Error).message}`);
  }
  return parseStudyFile(text, path);
}

/** One line per issue: `  - searchSpace.lr.low: expected number, received string`. */
export function formatIssues(path: string, issues: readonly z.core.$ZodIssue[]): string {
  const lines = issues.map((issue) => `  - ${issuePath(issue.path)}: ${issue.message}`);
  const noun = issues.length === 1 ? 'problem' : 'problems';
  return `${path} has ${issues.length} ${noun}:\n${lines.join('\n')}`;
}

function issuePath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(top level)';
  return path
    .map((key, i) => (typeof key === 'number' ? `[${key}]` : `${i === 0 ? '' : '.'}${String(key)}`))
    .join('');
}

function withDefaults(input: StudyFileInput, path: string): StudyFile {
  const folder = dirname(path);
  const objective =
    'module' in input.objective
      ? { ...input.objective, module: absolute(folder, input.objective.module) }
      : withDatasetPath(input.objective, folder);
  return {
    ...input,
    path,
    objective,
    storage: input.storage ?? `sqlite:studies/${input.name}.db`,
    metrics: input.metrics ?? input.directions.map((_, i) => `objective${i}`),
    workers: input.workers ?? STUDY_FILE_DEFAULTS.workers,
    maxFailedFraction: input.maxFailedFraction ?? STUDY_FILE_DEFAULTS.maxFailedFraction,
    shutdownGrace: input.shutdownGrace ?? STUDY_FILE_DEFAULTS.shutdownGrace,
    reportDir: input.reportDir ?? `reports/${input.name}`,
  };
}

function withDatasetPath(objective: MtlObjectiveSpec, folder: string): MtlObjectiveSpec {
  const data = objective.dataset;
  if (data.name !== 'csv') return objective;
  return { ...objective, dataset: { ...data, path: absolute(folder, data.path) } };
}

function absolute(folder: string, path: string): string {
  return isAbsolute(path) ? path : resolve(folder, path);
}

/** The JSON Schema of study files, for editors (`"$schema"` in a study file). */
export function studyFileJsonSchema(): unknown {
  return z.toJSONSchema(studyFileSchema, { io: 'input', unrepresentable: 'any' });
}
