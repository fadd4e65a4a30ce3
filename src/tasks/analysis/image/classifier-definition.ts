import { TaskError } from '../../../jobs/task.js';

/** One class of a trained classifier: its value in the output, name and display colour. */
export interface ClassInfo {
  value: number;
  name: string;
  color: [number, number, number];
}

/**
 * What TrainClassifier returns and Classify takes (`outputClassifierDefinition`, JSON text):
 * the method as ArcGIS names it, the Orfeo ToolBox classifier and its model file's text, the
 * bands it was trained on, and the classes.
 */
export interface ClassifierDefinition {
  classifierDefinitionVersion: 1;
  engine: 'OrfeoToolBox';
  method: 'RT' | 'SVM' | 'MLC';
  otbClassifier: 'rf' | 'libsvm' | 'bayes';
  bandCount: number;
  classes: ClassInfo[];
  model: string;
  /** Object-based (trained with `segmentedRaster`): the per-segment statistics the model reads. */
  segmentFeatures?: string[];
}

/** ArcGIS method names (`classifierParameters.method`) and their OTB classifiers. */
export const METHODS: Record<string, { method: ClassifierDefinition['method']; otb: ClassifierDefinition['otbClassifier'] }> = {
  rt: { method: 'RT', otb: 'rf' },
  randomtrees: { method: 'RT', otb: 'rf' },
  rf: { method: 'RT', otb: 'rf' },
  svm: { method: 'SVM', otb: 'libsvm' },
  mlc: { method: 'MLC', otb: 'bayes' },
  maximumlikelihood: { method: 'MLC', otb: 'bayes' },
};

/** Reads a definition given as JSON text or an object, checking it is one of ours. */
export function readClassifierDefinition(value: unknown): ClassifierDefinition {
  let parsed = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      throw new TaskError("'inputClassifierDefinition' is not valid JSON.");
    }
  }
  const definition = parsed as Partial<ClassifierDefinition> | null;
  if (!definition || definition.engine !== 'OrfeoToolBox' || typeof definition.model !== 'string' || !Array.isArray(definition.classes)) {
    throw new TaskError("'inputClassifierDefinition' must be the outputClassifierDefinition of a TrainClassifier job on this server.");
  }
  return definition as ClassifierDefinition;
}

/** A distinct colour per class when the samples carry none (a golden-angle hue walk). */
export function defaultColor(index: number): [number, number, number] {
  const hue = (index * 137.508) % 360;
  const f = (n: number) => {
    const k = (n + hue / 60) % 6;
    return Math.round(255 * (0.85 - 0.6 * Math.max(0, Math.min(k, 4 - k, 1))));
  };
  return [f(5), f(3), f(1)];
}
