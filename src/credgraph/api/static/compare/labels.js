// Names for people: credential types, the keys of transparency fields, outcome kinds and
// quality-assurance relations, as the compare page and the embed show them (never an enum
// name or a field key).
(function (root) {
  'use strict';

  var TYPES = {
    BADGE: 'Badge', MICRO_CREDENTIAL: 'Micro-credential', CERTIFICATE: 'Certificate',
    CERTIFICATION: 'Certification', LICENSE: 'Licence', DEGREE: 'Degree', COURSE: 'Course',
    OTHER: 'Other',
  };
  var FIELDS = {
    awarding_body: 'Awarding body', issuer_country: 'Issuer country', title: 'Title',
    description: 'Description', learning_outcomes: 'Learning outcomes',
    skills_aligned: 'Skills aligned to a framework', occupations: 'Occupations',
    workload: 'Workload', level: 'Level', assessment: 'Assessment',
    participation_form: 'Delivery mode', quality_assurance: 'Quality assurance', cost: 'Cost',
    prerequisites: 'Prerequisites', stackability: 'Stackability', validity: 'Validity',
    criteria: 'Criteria', language: 'Language',
  };

  var OUTCOMES = {
    MEDIAN_EARNINGS: 'Median earnings', EMPLOYMENT_RATE: 'Employment rate',
    AWARDED: 'Number awarded', COMPLETION_RATE: 'Completion rate', OTHER: 'Other outcome',
  };
  var RELATIONS = {
    ACCREDITED: 'Accredited by', RECOGNIZED: 'Recognized by', REGULATED: 'Regulated by',
    APPROVED: 'Approved by',
  };
  // CTDL organisation classes as published (ceterms:QACredentialOrganization...).
  var ORGANISATIONS = {
    QACredentialOrganization: 'Quality-assurance body',
    CredentialOrganization: 'Credential organisation',
    Organization: 'Organisation',
  };

  // "qualityAssurance" or "quality_assurance" -> "Quality assurance"
  function humanize(key) {
    var words = String(key).replace(/([a-z])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ').trim();
    return words.charAt(0).toUpperCase() + words.slice(1).toLowerCase();
  }

  root.credgraphLabels = {
    type: function (value) { return value ? (TYPES[value] || humanize(value)) : value; },
    field: function (key) { return FIELDS[key] || humanize(key); },
    outcome: function (kind) { return OUTCOMES[kind] || humanize(kind); },
    relation: function (value) { return RELATIONS[value] || humanize(value); },
    organisation: function (value) {
      return value ? (ORGANISATIONS[value] || humanize(value)) : value;
    },
    // Quality signals come as lower-case phrases ("outcomes reported").
    signal: function (value) { return humanize(value); },
    humanize: humanize,
  };
})(window);
