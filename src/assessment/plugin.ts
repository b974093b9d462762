import type { AppContext } from '../app.ts';
import { criterionTestEvidence, loadPlans } from '../conformance/index.ts';
import { getOrganisation } from '../identity/index.ts';
import type { App } from '../platform/http.ts';
import { assessmentPages } from './pages.tsx';
import { assessmentRoutes, type OrganisationName } from './routes.ts';
import type { AssessmentDeps } from './service.ts';

/** Routes and pages of the self-assessment: the publisher space's pages and the /api/v1 JSON API. */
export function assessmentPlugin(ctx: AppContext) {
  return async (app: App) => {
    const deps: AssessmentDeps = { db: ctx.db, config: ctx.config, referentials: ctx.referentials };
    // The publisher's legal name, for the reports: the identity module decides who may read it.
    const identity = { db: ctx.db, config: ctx.config } as Parameters<typeof getOrganisation>[0];
    const organisationName: OrganisationName = async (actor, organisationId) =>
      (await getOrganisation(identity, actor, organisationId)).legalName;
    await app.register(assessmentRoutes(deps, organisationName));
    // Connection tests (sandbox) are evidence for the criteria their plans support.
    const plans = ctx.config.mode === 'sandbox' ? loadPlans() : [];
    const conformance = { db: ctx.db, config: ctx.config, referentials: ctx.referentials, plans };
    await app.register(
      assessmentPages(deps, organisationName, (productId) => criterionTestEvidence(conformance, productId)),
    );
  };
}
