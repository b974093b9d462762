/**
 * `GET /fhir/metadata`: the CapabilityStatement of what this server really does, written from the same lists
 * the routes serve (a parameter or interaction not listed here is refused by the routes).
 */
import type { Config } from '../../platform/config.ts';

interface SearchParam {
  name: string;
  type: 'token' | 'reference' | 'date' | 'number' | 'string';
  documentation: string;
}

interface ResourceCapability {
  type: string;
  profile?: string;
  supportedProfile?: string[];
  interaction: string[];
  searchParam?: SearchParam[];
  searchInclude?: string[];
  documentation: string;
}

const MESURES = 'https://interop.esante.gouv.fr/ig/fhir/mesures/StructureDefinition';
const PDSM = 'https://interop.esante.gouv.fr/ig/fhir/pdsm/StructureDefinition';

const MEASURE_PROFILES = [
  'mesures-fr-observation-body-weight',
  'mesures-fr-observation-bodyheight',
  'mesures-fr-observation-bmi',
  'mesures-fr-observation-bp',
  'mesures-fr-observation-heartrate',
  'mesures-fr-observation-body-temperature',
  'mesures-fr-observation-oxygen-sat',
  'mesures-observation-head-circumference',
  'mesures-observation-waist-circumference',
  'mesures-observation-steps-by-day',
  'mesures-observation-pain-severity',
  'mesures-observation-glucose',
  'mesures-observation-hb1ac',
].map((id) => `${MESURES}/${id}`);

export const RESOURCES: ResourceCapability[] = [
  {
    type: 'Observation',
    supportedProfile: MEASURE_PROFILES,
    interaction: ['read', 'vread', 'history-instance', 'search-type'],
    searchParam: [
      {
        name: 'code',
        type: 'token',
        documentation: 'Mandatory: the measure code (LOINC or CI-SIS), e.g. 29463-7',
      },
      {
        name: 'subject.identifier',
        type: 'token',
        documentation: 'Mandatory: <idPe system>|<idPe>; must be the idPe of the access token',
      },
      { name: 'subject', type: 'reference', documentation: 'Patient/<idPe>, instead of subject.identifier' },
      { name: 'date', type: 'date', documentation: 'Effective date with prefixes eq, ge, gt, le, lt' },
      {
        name: '_count',
        type: 'number',
        documentation: 'Page size: 50 by default, 100 at most; 1 with _sort=-date (last)',
      },
      { name: '_offset', type: 'number', documentation: 'Page index, from 0 (as MES counts it)' },
      { name: '_sort', type: 'string', documentation: '-date with _count=1: the last measure' },
    ],
    searchInclude: ['Observation:device'],
    documentation:
      'Health measures (Mesures de santé IG), read under the citizen’s read consent for each category',
  },
  {
    type: 'Device',
    profile: 'http://hl7.org/fhir/uv/phd/StructureDefinition/PhdDevice',
    interaction: ['read'],
    documentation: 'Devices of the measures the caller may read; created by a measures push (ifNoneExist)',
  },
  {
    type: 'DocumentReference',
    supportedProfile: [`${PDSM}/pdsm-comprehensive-document-reference`],
    interaction: ['read', 'vread', 'history-instance', 'search-type'],
    searchParam: [
      {
        name: 'patient.identifier',
        type: 'token',
        documentation: 'Mandatory (or patient): the idPe of the access token',
      },
      { name: 'status', type: 'token', documentation: 'Mandatory: current, superseded or entered-in-error' },
      { name: 'type', type: 'token', documentation: 'Document type (JDV_J07)' },
      { name: 'category', type: 'token', documentation: 'Document class (JDV_J06)' },
      { name: 'date', type: 'date', documentation: 'DocumentReference.date' },
      { name: 'period-start', type: 'date', documentation: 'PDSm: context.period.start' },
      { name: 'period-end', type: 'date', documentation: 'PDSm: context.period.end' },
      { name: 'creation', type: 'date', documentation: 'content.attachment.creation' },
      { name: 'format', type: 'token', documentation: 'content.format' },
      { name: 'security-label', type: 'token', documentation: 'Confidentiality code' },
      { name: 'isArchived', type: 'token', documentation: 'PDSm extension isArchived' },
      { name: 'identifier', type: 'token', documentation: 'masterIdentifier or identifier' },
      { name: '_count', type: 'number', documentation: '50 by default, 100 at most' },
      { name: '_offset', type: 'number', documentation: 'Page index, from 0' },
      { name: '_sort', type: 'string', documentation: 'date or -date (the default)' },
    ],
    documentation: 'Health documents (PDSm, ITI-67), under the citizen’s read consent for documents',
  },
  {
    type: 'Binary',
    interaction: ['read'],
    documentation:
      'Document content (ITI-68): the raw bytes, or a FHIR Binary when Accept asks application/fhir+json',
  },
  {
    type: 'List',
    supportedProfile: [`${PDSM}/pdsm-submissionset-comprehensive`, `${PDSM}/pdsm-folder-comprehensive`],
    interaction: ['read'],
    documentation: 'Submission sets and folders of the documents the caller may read',
  },
];

export function capabilityStatement(config: Pick<Config, 'publicUrl' | 'operatorName'>) {
  const base = `${config.publicUrl}/fhir`;
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: '2026-11-27',
    publisher: config.operatorName,
    kind: 'instance',
    software: { name: 'mesref' },
    implementation: {
      description: 'mesref FHIR R4 exchange API (Mesures de santé, PDSm documents)',
      url: base,
    },
    fhirVersion: '4.0.1',
    format: ['application/fhir+json', 'json'],
    implementationGuide: [
      'https://interop.esante.gouv.fr/ig/fhir/mesures',
      'https://interop.esante.gouv.fr/ig/fhir/pdsm',
    ],
    rest: [
      {
        mode: 'server',
        security: {
          cors: false,
          service: [
            {
              coding: [
                { system: 'http://terminology.hl7.org/CodeSystem/restful-security-service', code: 'OAuth' },
              ],
            },
          ],
          description: `OAuth 2.0 bearer access tokens of ${config.publicUrl}/oauth (authorization code with PKCE); see ${base}/.well-known/smart-configuration`,
        },
        resource: RESOURCES.map((r) => ({
          type: r.type,
          ...(r.profile ? { profile: r.profile } : {}),
          ...(r.supportedProfile ? { supportedProfile: r.supportedProfile } : {}),
          documentation: r.documentation,
          interaction: r.interaction.map((code) => ({ code })),
          ...(r.searchParam ? { searchParam: r.searchParam } : {}),
          ...(r.searchInclude ? { searchInclude: r.searchInclude } : {}),
        })),
        interaction: [
          {
            code: 'transaction',
            documentation:
              'POST /fhir: a measures push Bundle (one Observation, at most one Device with ifNoneExist), or a documents provide Bundle (ITI-65, with a SubmissionSet)',
          },
        ],
        operation: [
          { name: 'validate', definition: 'http://hl7.org/fhir/OperationDefinition/Resource-validate' },
        ],
      },
    ],
  };
}
