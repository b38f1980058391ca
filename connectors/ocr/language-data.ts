import { existsSync, mkdirSync, readlinkSync, rmSync, symlinkSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { OcrEngineConfig } from './ocr-engine.config';
import { OcrLanguageDataError } from './ocr-errors';

/**
 * Where tesseract.js finds its trained data, checked at start. tesseract.js reads every language as
 * `${langPath}/${code}.traineddata.gz` from ONE folder, and a `langPath` that is not a URL is read
 * from the file system; left unset it downloads from jsDelivr
 * (https://github.com/naptha/tesseract.js/blob/master/docs/local-installation.md,
 * node_modules/tesseract.js/src/worker-script/index.js `loadLanguage`). The npm packages keep each
 * language in its own folder (`@tesseract.js-data/chi_sim/4.0.0/chi_sim.traineddata.gz`), so the
 * engine links them side by side under its data dir.
 */

/** Folder of each model inside an `@tesseract.js-data/<code>` package. */
const MODEL_FOLDERS: Record<OcrEngineConfig['model'], string> = { standard: '4.0.0', best_int: '4.0.0_best_int' };

export interface LanguageData {
  /** The one folder handed to tesseract.js as `langPath`. */
  readonly langPath: string;
  /** The file each language is read from, for the start log. */
  readonly files: Readonly<Record<string, string>>;
}

/** Resolves and checks the language files; throws OcrLanguageDataError naming every path looked at. */
export function prepareLanguageData(config: Pick<OcrEngineConfig, 'languages' | 'model' | 'languageDataPath' | 'dataDir'>): LanguageData {
  const files: Record<string, string> = {};
  const missing: { path: string; message: string }[] = [];
  for (const code of config.languages) {
    const file = config.languageDataPath
      ? resolve(config.languageDataPath, `${code}.traineddata.gz`)
      : packageFile(code, MODEL_FOLDERS[config.model]);
    if (existsSync(file)) files[code] = file;
    else missing.push({ path: `languages.${code}`, message: `not found: ${file}` });
  }
  if (missing.length > 0) {
    throw new OcrLanguageDataError(
      `OCR language data missing (${missing.map((m) => m.message).join('; ')}); install the npm package @tesseract.js-data/<language> or set languageDataPath. Nothing is downloaded at run time.`,
      missing,
    );
  }
  if (config.languageDataPath) return { langPath: resolve(config.languageDataPath), files };

  const langPath = resolve(config.dataDir, 'tessdata', config.model);
  mkdirSync(langPath, { recursive: true });
  for (const [code, file] of Object.entries(files)) link(file, join(langPath, `${code}.traineddata.gz`));
  return { langPath, files };
}

/** The package's file, or where it would be when the package is not installed. */
function packageFile(code: string, model: string): string {
  const name = `@tesseract.js-data/${code}`;
  let root: string;
  try {
    root = dirname(require.resolve(`${name}/package.json`));
  } catch {
    root = resolve('node_modules', name);
  }
  return join(root, model, `${code}.traineddata.gz`);
}

/** Points `at` to `target`, replacing whatever an install elsewhere left there. */
function link(target: string, at: string): void {
  if (currentLink(at) === target) return;
  rmSync(at, { force: true });
  symlinkSync(target, at);
}

function currentLink(at: string): string | undefined {
  try {
    return readlinkSync(at);
  } catch {
    return undefined;
  }
}
