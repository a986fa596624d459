// The CI and release workflows cannot run here, so they are checked the way GitHub reads them: parsed and
// validated against GitHub's own workflow schema and expression grammar by @actions/workflow-parser (the
// parser behind GitHub's Actions language service), then converted into jobs and steps. A misspelt key, a
// wrong value type or a broken ${{ }} expression fails here, named by file and line.
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow } from "@actions/workflow-parser";

const root = resolve(import.meta.dirname, "../..");
const workflowsDir = join(root, ".github/workflows");

interface CheckedWorkflow {
  errors: string[];
  jobs: { id: string; steps: { uses?: string; run?: string; env: Record<string, string> }[] }[];
  permissions: Record<string, string>;
}

/** Parses, validates and converts one workflow as GitHub does; returns its errors and what it would run. */
async function checkWorkflow(name: string, content: string): Promise<CheckedWorkflow> {
  const parsed = parseWorkflow({ name, content }, new NoOperationTraceWriter());
  const errors = parsed.context.errors.getErrors().map((error) => error.message);
  if (!parsed.value) return { errors, jobs: [], permissions: {} };
  const template = await convertWorkflowTemplate(parsed.context, parsed.value);
  errors.push(...(template.errors ?? []).map((error) => error.Message));
  const jobs = (template.jobs ?? []).map((job) => ({
    id: job.id.value,
    steps: ("steps" in job ? job.steps : []).map((step) => ({
      ...("uses" in step ? { uses: step.uses.value } : {}),
      ...("run" in step ? { run: step.run.toString() } : {}),
      env: Object.fromEntries(
        [...("env" in step && step.env ? step.env : [])].map(({ key, value }) => [key.toString(), value.toString()]),
      ),
    })),
  }));
  return { errors: [...new Set(errors)], jobs, permissions: readPermissions(content) };
}

/** The workflow-level `permissions:` block, read from the YAML text (the converter keeps none). */
function readPermissions(content: string): Record<string, string> {
  const block = /^permissions:\n((?: {2}.*\n?)+)/m.exec(content)?.[1] ?? "";
  return Object.fromEntries([...block.matchAll(/^ {2}([\w-]+):\s*([\w-]+)/gm)].map((m) => [m[1]!, m[2]!]));
}

const workflow = (file: string) => readFileSync(join(workflowsDir, file), "utf8");

describe("GitHub workflows", () => {
  const files = readdirSync(workflowsDir).filter((file) => /\.ya?ml$/.test(file));

  it("has a CI and a release workflow", () => {
    expect(files).toEqual(expect.arrayContaining(["ci.yml", "release.yml"]));
  });

  it.each(files)("%s is valid against GitHub's workflow schema", async (file) => {
    const checked = await checkWorkflow(file, workflow(file));
    expect(checked.errors).toEqual([]);
    expect(checked.jobs.length).toBeGreaterThan(0);
  });

  it("CI runs what .ci/run runs: npm ci, then npm test", async () => {
    const { jobs } = await checkWorkflow("ci.yml", workflow("ci.yml"));
    const runs = jobs.flatMap((job) => job.steps.flatMap((step) => (step.run ? [step.run] : [])));
    expect(runs).toEqual(expect.arrayContaining(["npm ci", "npm test"]));
    expect(runs.indexOf("npm ci")).toBeLessThan(runs.indexOf("npm test"));
  });

  it("release versions and publishes through changesets with npm provenance", async () => {
    const { jobs, permissions } = await checkWorkflow("release.yml", workflow("release.yml"));
    const steps = jobs.flatMap((job) => job.steps);
    const changesets = steps.find((step) => step.uses?.startsWith("changesets/action@"));
    expect(changesets).toBeDefined();
    expect(changesets!.env.NPM_CONFIG_PROVENANCE).toBe("true");
    expect(permissions["id-token"]).toBe("write");
    const scripts = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).scripts as Record<string, string>;
    const text = workflow("release.yml");
    for (const script of ["version-packages", "release"]) {
      expect(text).toContain(`npm run ${script}`);
      expect(scripts[script]).toBeDefined();
    }
  });

  it("the checker finds schema and expression errors", async () => {
    const broken = "name: x\non: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    stepz:\n      - run: echo ${{ github.sha( }}\n";
    const { errors } = await checkWorkflow("broken.yml", broken);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.join("\n")).toMatch(/stepz/);
  });
});
