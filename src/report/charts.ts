/**
 * The report's charts as Vega-Lite specifications, rendered to static SVG with Vega's
 * headless renderer when the report is built, so the HTML needs no script and no network.
 */
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

import type { ReportData } from './data.js';

/** A rendered chart: a title for the page and its SVG markup. */
export interface Chart {
  id: string;
  title: string;
  svg: string;
}

const FRONT_COLOR = '#d62728';
const OTHER_COLOR = '#7f7f7f';
const FRONT_TEST = "datum.front === 'Pareto front'";

/** Renders a Vega-Lite spec to an SVG string without a browser. */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Every chart of a report, rendered. */
export async function buildCharts(data: ReportData): Promise<Chart[]> {
  const specs: { id: string; title: string; spec: TopLevelSpec | undefined }[] = [
    ...paretoSpecs(data),
    { id: 'progress', title: progressTitle(data), spec: progressSpec(data) },
    { id: 'importance', title: 'Parameter importance', spec: importanceSpec(data) },
    { id: 'parallel', title: 'Parameters of the front', spec: parallelSpec(data) },
  ];
  const charts: Chart[] = [];
  for (const { id, title, spec } of specs) {
    if (spec !== undefined) charts.push({ id, title, svg: await renderSvg(spec) });
  }
  return charts;
}

function progressTitle(data: ReportData): string {
  return data.progressKind === 'hypervolume' ? 'Hypervolume over trials' : 'Best value over trials';
}

/** Rows of the COMPLETE trials with each objective under its metric name. */
function valueRows(data: ReportData): Record<string, unknown>[] {
  return data.trials
    .filter((trial) => trial.state === 'COMPLETE' && trial.values !== null)
    .map((trial) => ({
      number: trial.number,
      label: `#${trial.number}`,
      front: trial.onFront ? 'Pareto front' : 'dominated',
      ...Object.fromEntries(data.metrics.map((metric, k) => [metric, trial.values![k]])),
    }));
}

/** One scatter per pair of objectives (or values over trial numbers for one objective). */
function paretoSpecs(data: ReportData): { id: string; title: string; spec: TopLevelSpec }[] {
  const rows = valueRows(data);
  if (rows.length === 0) return [];
  if (data.metrics.length === 1) {
    const title = `${data.metrics[0]} of each trial`;
    return [{ id: 'values', title, spec: scatter(rows, 'number', data.metrics[0]!, 'trial') }];
  }
  const specs = [];
  for (let i = 0; i < data.metrics.length; i++) {
    for (let j = i + 1; j < data.metrics.length; j++) {
      const [x, y] = [data.metrics[i]!, data.metrics[j]!];
      const title = `Pareto front: ${x} vs ${y}`;
      specs.push({ id: `pareto-${i}-${j}`, title, spec: scatter(rows, x, y) });
    }
  }
  return specs;
}

function scatter(rows: Record<string, unknown>[], x: string, y: string, xTitle = x): TopLevelSpec {
  const encoding = {
    x: { field: fieldName(x), type: 'quantitative', title: xTitle, scale: { zero: false } },
    y: { field: fieldName(y), type: 'quantitative', title: y, scale: { zero: false } },
  } as const;
  return {
    width: 420,
    height: 300,
    data: { values: rows },
    layer: [
      {
        mark: { type: 'point', filled: true, size: 60 },
        encoding: {
          ...encoding,
          color: {
            field: 'front',
            type: 'nominal',
            title: null,
            scale: { domain: ['Pareto front', 'dominated'], range: [FRONT_COLOR, OTHER_COLOR] },
          },
          opacity: { condition: { test: FRONT_TEST, value: 1 }, value: 0.3 },
        },
      },
      {
        transform: [{ filter: FRONT_TEST }],
        mark: { type: 'text', dx: 8, dy: -6, align: 'left', fontSize: 10, color: FRONT_COLOR },
        encoding: { ...encoding, text: { field: 'label' } },
      },
    ],
  } as TopLevelSpec;
}

/** A metric name as a Vega-Lite field: dots escaped, else `left.error` reads as a path. */
function fieldName(name: string): string {
  return name.replace(/[.[\]\\]/g, (c) => `\\${c}`);
}

function progressSpec(data: ReportData): TopLevelSpec | undefined {
  if (data.progress.length === 0) return undefined;
  const rows = data.progress.map(({ number, value }) => ({ number, value }));
  return {
    width: 420,
    height: 220,
    data: { values: rows },
    mark: { type: 'line', point: true, interpolate: 'step-after' },
    encoding: {
      x: { field: 'number', type: 'quantitative', title: 'trial' },
      y: { field: 'value', type: 'quantitative', title: data.progressKind, scale: { zero: false } },
    },
  } as TopLevelSpec;
}

function importanceSpec(data: ReportData): TopLevelSpec | undefined {
  if (data.importance.length === 0) return undefined;
  return {
    data: { values: data.importance },
    facet: { column: { field: 'metric', type: 'nominal', title: null } },
    spec: {
      width: 180,
      height: { step: 16 },
      mark: { type: 'bar', color: '#1f77b4' },
      encoding: {
        y: { field: 'param', type: 'nominal', title: null, sort: '-x' },
        x: { field: 'importance', type: 'quantitative', scale: { domain: [0, 1] } },
      },
    },
    resolve: { scale: { y: 'independent' } },
  } as TopLevelSpec;
}

/** Parallel coordinates: each numeric parameter scaled to [0, 1] over the front's trials. */
function parallelSpec(data: ReportData): TopLevelSpec | undefined {
  const front = data.trials.filter((trial) => trial.onFront);
  const params = numericParams(front);
  if (front.length === 0 || params.length < 2) return undefined;
  const rows = front.flatMap((trial) =>
    params.map((param) => ({ number: `#${trial.number}`, param, value: trial.params[param] })),
  );
  return {
    width: Math.max(300, 70 * params.length),
    height: 240,
    data: { values: rows },
    transform: [
      {
        joinaggregate: [
          { op: 'min', field: 'value', as: 'low' },
          { op: 'max', field: 'value', as: 'high' },
        ],
        groupby: ['param'],
      },
      {
        calculate:
          'datum.high > datum.low ? (datum.value - datum.low) / (datum.high - datum.low) : 0.5',
        as: 'scaled',
      },
    ],
    layer: [
      {
        mark: { type: 'line', opacity: 0.7 },
        encoding: {
          x: { field: 'param', type: 'nominal', sort: params, title: null },
          y: { field: 'scaled', type: 'quantitative', title: 'scaled to the front’s range' },
          color: { field: 'number', type: 'nominal', title: 'trial' },
          detail: { field: 'number' },
        },
      },
      {
        mark: { type: 'point', filled: true, size: 20 },
        encoding: {
          x: { field: 'param', type: 'nominal', sort: params },
          y: { field: 'scaled', type: 'quantitative' },
          color: { field: 'number', type: 'nominal' },
        },
      },
    ],
  } as TopLevelSpec;
}

function numericParams(trials: ReportData['trials']): string[] {
  const names = new Set(trials.flatMap((trial) => Object.keys(trial.params)));
  return [...names]
    .filter((name) => trials.every((trial) => typeof (trial.params[name] ?? 0) === 'number'))
    .sort();
}
