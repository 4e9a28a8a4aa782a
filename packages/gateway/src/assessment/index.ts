export { readAssessment } from "./read-assessment";
export { renderAssessmentMarkdown } from "./render-markdown";
export { resolveAssessmentScope, type AssessmentScope } from "./resolve-scope";
