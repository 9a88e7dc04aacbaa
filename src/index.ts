// The public API: what notebooks (`../dist/index`), the command line, tests and teachers' scripts
// use. Each name is listed on purpose (docs/api.md says what each is for); the engine's inner
// parts (instantiate, forwardPass, the recorders, the key resolver ...) stay internal.

// precisions, errors, the spec and its parts
export {
  EXACT_DIGITS,
  floatArith,
  arithFor,
  parsePrecision,
  precisionName,
  type Arith,
  type Dec,
} from "./engine/numeric.js";
export {
  TutorError,
  SpecError,
  ShapeError,
  ExpressionError,
  TrainingError,
  AnswerError,
  isTutorError,
  type ErrorKind,
} from "./engine/errors.js";
export {
  ACTIVATION_NAMES,
  ACTIVATIONS,
  resolveActivation,
  type ActivationParams,
  type ScalarActivation,
  type VectorActivation,
  type Activation,
  type ActivationName,
  type ActivationSpec,
  type ResolvedActivation,
} from "./engine/activations.js";
export { LOSS_NAMES, LOSSES, resolveLoss, type LossName, type Loss } from "./engine/losses.js";
export {
  parseSpec,
  type Raw,
  type BiasLayer,
  type Example,
  type BatchMode,
  type UnitNames,
  type NetworkSpec,
  type TrainingDefaults,
  type ParseOptions,
} from "./engine/spec.js";
export { NOTATION_PRESETS, notationFor, type Sym, type NotationPreset, type Notation } from "./engine/notation.js";

// traces and their step ids
export type { Phase, Quantity, ChainFactor, Step, ExampleTrace, NetworkTrace } from "./engine/trace.js";
export {
  stepId,
  parseStepId,
  requireStepId,
  type StepIdRecord,
  type NetworkStepIdRecord,
  type ForwardQuantity,
  type BackwardUnitQuantity,
} from "./engine/step-id.js";
export { traceNetwork, traceWithReplaced, type TraceOptions } from "./engine/network.js";
export {
  graphTrace,
  graphNode,
  type GraphNode,
  type GraphEdge,
  type GraphStep,
  type GraphTrace,
  type OpName,
  type GraphOverrides,
} from "./engine/graph.js";

// training and the other engines
export { train, type TrainOptions, type EpochRecord, type TrainResult } from "./engine/train.js";
export {
  OPTIMIZER_NAMES,
  OPTIMIZERS,
  ADAM_SLIDE_FORMULA,
  readOptimizer,
  optimizerFormula,
  type OptimizerName,
  type OptimizerConfig,
  type OptimizerOption,
} from "./engine/optimizers.js";
export { INIT_METHODS, initWeights, type InitMethod, type InitSpec } from "./engine/init.js";
export {
  matrixNet,
  forwardBatch,
  batchLoss,
  backwardBatch,
  sgdStep,
  trainMatrix,
  type DenseLayer,
  type MatrixNet,
  type MatrixTrainOptions,
} from "./engine/matrix.js";
export {
  fitStandardiser,
  dropout,
  batchNormForward,
  batchNormBackward,
  type Standardiser,
  type BatchNormCache,
} from "./engine/normalise.js";
export { lcg, normals, shuffled, type Rng } from "./engine/random.js";
export {
  perceptronPredict,
  trainPerceptron,
  type PerceptronUnit,
  type PerceptronOptions,
  type PerceptronStep,
  type PerceptronResult,
} from "./engine/perceptron.js";
export { gradCheck, type GradCheckOptions, type ParamCheck, type GradCheckResult } from "./engine/gradcheck.js";
export { Value, GraphRecorder, valueMLP, type ValueMLP } from "./engine/autograd.js";
export { descend, type DescentOptions, type DescentPath } from "./engine/descent.js";

// checking hand calculations
export {
  parseAnswersText,
  parseAnswersJson,
  parseAnswersCsv,
  type TypedAnswer,
  type AnswersInput,
  type TypedNumber,
} from "./checking/answers.js";
export {
  checkHandCalculation,
  type CheckRow,
  type UnknownKey,
  type CheckReport,
  type CheckOptions,
  type Verdict,
} from "./checking/check.js";
export { checkGraphCalculation, checkNumbers, type CheckNumbersOptions } from "./checking/simple.js";
export { placesShortfall, tooFewPlaces, type PlacesAsked } from "./checking/verdict.js";
export { checkAnswersFile, checkGraphAnswersFile, readAnswersFile } from "./checking/answers-file.js";
export type { Diagnosis, MistakeId } from "./checking/mistakes.js";

// displays in a notebook
export { display, liveDisplay, escapeHtml, type MimeBundle, type LiveDisplay } from "./render/display.js";
export { katexHtml, survivingHtml, texForMathJax, mathBundle, showMath, showMarkdown } from "./render/math.js";
export { tableBundle, showTable, type TableOptions } from "./render/table.js";
export { shortValue, stepLine } from "./render/step-line.js";
export {
  derivationBundle,
  showDerivation,
  graphStepsBundle,
  showGraphSteps,
  type DerivationPart,
  type DerivationOptions,
} from "./render/derivation.js";
export {
  traceTablesBundles,
  showTraceTables,
  compareTraces,
  comparisonBundle,
  showComparison,
  type DriftRow,
} from "./render/trace-tables.js";
export {
  VALUE_COLOUR,
  GRAD_COLOUR,
  dotToSvg,
  figureBundle,
  graphDot,
  graphSvg,
  graphBundle,
  showGraph,
  networkDot,
  networkBundle,
  showNetworkDiagram,
  type DiagramView,
} from "./render/diagram.js";
export { checkReportMarkdown, checkReportHtml, type HtmlOptions } from "./render/check-report.js";
export { checkBundle, showCheck } from "./render/check.js";
export { vegaLiteSvg, plotBundle, showPlot, LivePlot, type VegaLiteSpec } from "./plots/vega.js";
export {
  linesSpec,
  plotLines,
  functionsSpec,
  plotFunctions,
  pathsSpec,
  plotPaths,
  decisionSpec,
  plotDecisionBoundary,
  barsSpec,
  plotBars,
  heatmapSpec,
  plotHeatmap,
  liveLossPlot,
  type DecisionOptions,
  type Series,
  type LineOptions,
  type BarOptions,
  type HeatmapOptions,
} from "./plots/plots.js";
export { costAfterEachEpoch, costCurvesSpec, plotCostCurves, type CostCurve } from "./plots/training-curves.js";

// in-notebook exercises: the student's call, the hint, and the definitions (for tests and teachers)
export { checkExercise, hint } from "./exercises/notebook-check.js";
export { NOTEBOOK_EXERCISES, exerciseSet, expectedAnswers } from "./exercises/notebook-exercises.js";
export type {
  ExerciseSet,
  ExerciseQuestion,
  ExerciseJudge,
  ExpectedAnswer,
  AnswerPrecision,
} from "./exercises/notebook-exercises.js";
export { errorBundle, exerciseBundle } from "./render/exercise.js";
export {
  answersShownEarlier,
  exerciseCellIndex,
  printedNumbers,
  revealsAnswer,
  viewAnswersShown,
} from "./exercises/leaks.js";
export type { ShownAnswer, NotebookJson, ViewAnswerShown } from "./exercises/leaks.js";
export {
  stepThroughBundle,
  graphStepThroughBundle,
  showStepThrough,
  showGraphStepThrough,
  showFolded,
  foldedBundle,
  type StepThroughOptions,
} from "./view/show.js";
export { STEP_THROUGH_MIME, STEP_THROUGH_VERSION, type StepThroughPayload } from "./view/payload.js";
