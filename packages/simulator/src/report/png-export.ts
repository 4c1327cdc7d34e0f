import { SimulatorErrorCodes, SimulatorInputError } from '../trace/input-error.ts';

/** The renderer package PNG output uses (Rust resvg with prebuilt binaries), and the version it was written for. */
export const PNG_RENDERER = { package: '@resvg/resvg-js', version: '2.6.2' } as const;

/** The part of `@resvg/resvg-js` used here. */
interface ResvgModule {
  Resvg: new (svg: string, options?: { fitTo?: { mode: 'width'; value: number }; font?: { loadSystemFonts?: boolean; defaultFontFamily?: string } }) => {
    render(): { asPng(): Uint8Array };
  };
}

/** Loads a module by name at run time (a seam for tests). */
export type ModuleLoader = (name: string) => Promise<unknown>;

const defaultLoader: ModuleLoader = (name) => import(name);

/**
 * Converts the chart SVG to PNG with `@resvg/resvg-js` when it is installed (an optional dependency: the SVG
 * never needs it).
 * @param widthPx output width in pixels (default 2400: twice the SVG's width, sharp on high-density screens)
 * @throws SimulatorInputError `EBB_SIM_OUTPUT_FAILED` saying which package to install when it is missing.
 */
export async function svgToPng(svg: string, widthPx = 2400, load: ModuleLoader = defaultLoader): Promise<Uint8Array> {
  let mod: ResvgModule;
  try {
    mod = (await load(PNG_RENDERER.package)) as ResvgModule;
  } catch {
    throw new SimulatorInputError(
      SimulatorErrorCodes.OUTPUT_FAILED,
      `PNG output needs the package ${PNG_RENDERER.package} (${PNG_RENDERER.version}), which is not installed; ` +
        `install it (npm install ${PNG_RENDERER.package}@${PNG_RENDERER.version}) or write the chart with --svg`,
    );
  }
  const resvg = new mod.Resvg(svg, { fitTo: { mode: 'width', value: widthPx }, font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' } });
  return resvg.render().asPng();
}
