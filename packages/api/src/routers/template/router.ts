import { router } from "../../trpc";
import { compareTemplates } from "./compare-templates";
import { deleteTemplate } from "./delete-template";
import { getTemplate } from "./get-template";
import { listTemplateVersions } from "./list-template-versions";
import { listTemplates } from "./list-templates";
import { publishTemplate } from "./publish-template";

export const templateRouter = router({
  list: listTemplates,
  get: getTemplate,
  listVersions: listTemplateVersions,
  compare: compareTemplates,
  publish: publishTemplate,
  delete: deleteTemplate,
});
