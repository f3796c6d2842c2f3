import * as echarts from 'echarts';
import { Money } from '#money';

/**
 * Charts drawn on the server as SVG (Apache ECharts' server-side rendering): they need no script,
 * print as they show, and can be tested as markup. Each is given with a caption and a data table
 * beside it, so a screen reader, or anyone printing in black and white, has the figures as text.
 * The figures a chart draws are only where bars and lines go: the tables show the amounts exactly.
 */
export interface ChartSeries {
  readonly name: string;
  readonly kind: 'bar' | 'line';
  /** Heights in pounds, for drawing only. */
  readonly values: readonly number[];
}

export interface ChartSpec {
  readonly categories: readonly string[];
  readonly series: readonly ChartSeries[];
  readonly horizontal?: boolean;
  readonly width?: number;
  readonly height?: number;
}

/** GOV.UK's colours, distinct in greyscale too, with patterns (decals) for print. */
const PALETTE = ['#1d70b8', '#f47738', '#00703c', '#4c2c92', '#d4351c', '#505a5f'];

export function chartSvg(spec: ChartSpec): string {
  const width = spec.width ?? 720;
  const height =
    spec.height ?? Math.max(260, spec.horizontal === true ? 40 + spec.categories.length * 28 : 300);
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  const categoryAxis = {
    type: 'category' as const,
    data: [...spec.categories],
    axisLabel: {
      interval: 0,
      width: spec.horizontal === true ? 200 : 90,
      overflow: 'truncate' as const,
    },
  };
  const valueAxis = { type: 'value' as const, axisLabel: { formatter: Money.axisLabel } };
  chart.setOption({
    animation: false,
    color: PALETTE,
    aria: { enabled: true, decal: { show: true } },
    textStyle: { fontFamily: 'arial, sans-serif', fontSize: 12, color: '#0b0c0c' },
    legend: { top: 0, textStyle: { color: '#0b0c0c' } },
    grid: { left: spec.horizontal === true ? 210 : 70, right: 20, top: 40, bottom: 40 },
    xAxis: spec.horizontal === true ? valueAxis : categoryAxis,
    yAxis: spec.horizontal === true ? { ...categoryAxis, inverse: true } : valueAxis,
    series: spec.series.map((series) => ({
      type: series.kind,
      name: series.name,
      data: [...series.values],
    })),
  });
  const svg = chart.renderToSVGString();
  chart.dispose();
  return cspSafe(svg);
}

/**
 * The SVG without inline styles, which the pages' content security policy forbids: a style
 * attribute becomes presentation attributes, and the hover rules (meaningless on a static chart)
 * go. The chart is hidden from assistive technology: its caption and table say the same.
 */
function cspSafe(svg: string): string {
  return svg
    .replace(/<style[\s\S]*?<\/style>/g, '')
    .replace(/ style="([^"]*)"/g, (_, declarations: string) =>
      declarations
        .split(';')
        .map((declaration) => declaration.split(':').map((part) => part.trim()))
        .filter(
          ([property, value]) => property !== undefined && property !== '' && value !== undefined,
        )
        .map(([property, value]) => ` ${property}="${value?.replaceAll('"', "'")}"`)
        .join(''),
    )
    .replace('<svg ', '<svg aria-hidden="true" focusable="false" ');
}
