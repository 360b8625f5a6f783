// Names for people: credential types and the keys of transparency fields, as the compare page
// and the embed show them (never an enum name or a field key).
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

  // "qualityAssurance" or "quality_assurance" -> "Quality assurance"
  function humanize(key) {
    var words = String(key).replace(/([a-z])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ').trim();
    return words.charAt(0).toUpperCase() + words.slice(1).toLowerCase();
  }

  root.credgraphLabels = {
    type: function (value) { return value ? (TYPES[value] || humanize(value)) : value; },
    field: function (key) { return FIELDS[key] || humanize(key); },
    humanize: humanize,
  };
})(window);
