'use strict';
// Example: what factgraph knows about KAIST.
//
//   node client/node/example.js [HOST:PORT]
//
// HOST:PORT defaults to $FACTGRAPH_SERVER, else localhost:50051.

const { FactGraphClient, describeError } = require('./client');

async function main() {
  const target = process.argv[2] || process.env.FACTGRAPH_SERVER || 'localhost:50051';
  const client = new FactGraphClient(target);
  try {
    const kaist = await client.get('institutions/kaist');
    console.log(`${kaist.name}: ${kaist.display_name} (${(kaist.aliases || []).join(', ')})`);
    console.log(`snapshot: ${client.snapshotId}`);

    const universities = await client.listAll('institutions', {
      filter: 'kind = INSTITUTION_KIND_UNIVERSITY',
    });
    console.log(`universities: ${universities.map((u) => u.display_name).join(', ')}`);

    for (const result of await client.search('Lee Kwang-hyung', { collections: ['people'] })) {
      console.log(`search: ${result.entity.name} ${result.matched_text}`);
    }

    const facts = await client.facts({ subject: 'institutions/kaist' });
    console.log(`facts about KAIST: ${facts.length}`);

    try {
      await client.get('institutions/no-such-place');
    } catch (error) {
      console.log(`missing: ${describeError(error)}`);
    }
  } finally {
    client.close();
  }
}

main().catch((error) => {
  console.error(`example: ${error.message}`);
  process.exit(1);
});
