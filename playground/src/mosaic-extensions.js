/**
 * The playground's examples of Mosaic's extension points, registered from `register`: a context
 * enricher (a fake CRM), a rule operator ($semverGte) and an output format (Slack mrkdwn). The
 * integration tests boot this app, so each one is harmless to requests that do not use it.
 */

/** A stand-in for a CRM lookup: accounts by the company domain a frontend sends. */
const CRM = {
  'acme.com': { company: 'Acme Corp', companySize: 1200 },
  'initech.com': { company: 'Initech', companySize: 80 },
};

const VERSION = /^(\d+)\.(\d+)\.(\d+)$/;

function compareVersions(a, b) {
  const x = VERSION.exec(a).slice(1).map(Number);
  const y = VERSION.exec(b).slice(1).map(Number);
  for (let i = 0; i < 3; i += 1) if (x[i] !== y[i]) return Math.sign(x[i] - y[i]);
  return 0;
}

/** Slack escapes only these three; everything else in text is shown as it is. */
const escapeMrkdwn = (text) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const SAFE_LINK = /^(https?:|mailto:)/i;

function inline(nodes = []) {
  return nodes
    .map((node) => {
      if (node.type === 'link') {
        const label = inline(node.children);
        return SAFE_LINK.test(node.url ?? '') ? `<${encodeURI(node.url)}|${label}>` : label;
      }
      if (typeof node.text !== 'string') return inline(node.children);
      let text = escapeMrkdwn(node.text);
      if (!text.trim()) return text;
      if (node.code) text = `\`${text}\``;
      if (node.bold) text = `*${text}*`;
      if (node.italic) text = `_${text}_`;
      if (node.strikethrough) text = `~${text}~`;
      return text;
    })
    .join('');
}

function block(node) {
  switch (node.type) {
    case 'heading':
      return `*${inline(node.children)}*`;
    case 'list':
      return node.children
        .map(
          (item, i) => `${node.format === 'ordered' ? `${i + 1}.` : '•'} ${inline(item.children)}`
        )
        .join('\n');
    case 'quote':
      return `> ${inline(node.children)}`;
    case 'code':
      return `\`\`\`${inline(node.children)}\`\`\``;
    default:
      return inline(node.children);
  }
}

/** Slack's mrkdwn: what a bot posts when it reuses a chunk in a channel. */
const mrkdwn = {
  contentType: 'text/x-slack-mrkdwn',
  render: (blocks) => blocks.map(block).join('\n\n'),
};

function registerMosaicExtensions(strapi) {
  const extensions = strapi.plugin('mosaic').service('extensions');

  extensions.registerEnricher(
    'crm',
    ({ headers }) => {
      const account = CRM[(headers['x-company-domain'] ?? '').toLowerCase()];
      return account ? { traits: account } : undefined;
    },
    { timeoutMs: 100, vary: ['X-Company-Domain'] }
  );

  extensions.registerOperator('$semverGte', {
    validate: (value) =>
      typeof value === 'string' && VERSION.test(value) ? null : 'must be a version such as "2.1.0"',
    evaluate: (actual, value) =>
      typeof actual === 'string' && VERSION.test(actual)
        ? compareVersions(actual, value) >= 0
        : null,
  });

  extensions.registerFormat('mrkdwn', mrkdwn);
}

module.exports = { registerMosaicExtensions };
