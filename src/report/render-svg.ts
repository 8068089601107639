import { Error as errorLevel, logger, parse, View, Warn as warnLevel } from 'vega';
import type { Loader } from 'vega';
import { compile } from 'vega-lite';
import type { TopLevelSpec } from 'vega-lite';
import { chartConfig } from './charts';

/**
 * Vega's loader, refusing everything: the charts carry their data inline, and a report that works offline must
 * never fetch a file, an image or a link while it is drawn.
 */
const refuse = (uri: string) => Promise.reject(new Error(`the report loads nothing (asked for ${uri})`));
const noLoading: Loader = { load: refuse, sanitize: refuse, http: refuse, file: refuse };

/**
 * Vega-Lite warns when a spec does not mean what it says (a channel it drops, a format it ignores). The specs are
 * ours and fixed, so a warning is a bug to fail on, not noise for the worker's console.
 */
const failOnWarning = logger(warnLevel, undefined, (_method, level, input) => {
  // `input` is the logger's `arguments` object, not an array.
  throw new Error(`Vega-Lite ${level.toLowerCase()}: ${Array.from(input, String).join(' ')}`);
});

/**
 * Draws a Vega-Lite spec as an SVG document with Vega's headless renderer: Vega-Lite compiles it to Vega, a
 * View runs the dataflow without a canvas or DOM, and `toSVG()` writes the scene as SVG markup.
 */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const vega = compile(spec, { config: chartConfig, logger: failOnWarning }).spec;
  const view = new View(parse(vega), { renderer: 'none', loader: noLoading, logLevel: errorLevel });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
