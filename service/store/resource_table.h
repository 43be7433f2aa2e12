// The resources factgraph serves, one row each: the only list of them. The
// store (collections.h), the service's standard methods (factgraph_service.h)
// and the CLI's catalog (client/cli/resource_catalog.cc) all expand this
// table, so adding a resource is a message, a KnowledgeBase field, three rpcs
// and one row here.
//
// A row is X(Resource, collection, GetMethod, ListMethod, BatchGetMethod):
//   Resource    the message, factgraph.v1.<Resource>, which Get returns;
//   collection  its repeated field of factgraph.v1.KnowledgeBase, the field
//               of the List and BatchGet responses that holds the resources,
//               and the resource-name prefix ("institutions/...");
//   *Method     the rpcs of FactGraphService; each request is
//               <Method>Request, each List/BatchGet response
//               <Method>Response (the convention stated in
//               factgraph_service.proto, checked at start by
//               api::CheckStandardMethodSchema).
// Rows are in KnowledgeBase field order, which is also the order of the
// service's methods.
#ifndef FACTGRAPH_SERVICE_STORE_RESOURCE_TABLE_H_
#define FACTGRAPH_SERVICE_STORE_RESOURCE_TABLE_H_

#define FACTGRAPH_RESOURCES(X)                                               \
  X(Institution, institutions, GetInstitution, ListInstitutions,             \
    BatchGetInstitutions)                                                    \
  X(Person, people, GetPerson, ListPeople, BatchGetPeople)                   \
  X(Agreement, agreements, GetAgreement, ListAgreements, BatchGetAgreements) \
  X(Project, projects, GetProject, ListProjects, BatchGetProjects)           \
  X(Funding, fundings, GetFunding, ListFundings, BatchGetFundings)           \
  X(Event, events, GetEvent, ListEvents, BatchGetEvents)                     \
  X(Statistic, statistics, GetStatistic, ListStatistics, BatchGetStatistics) \
  X(Document, documents, GetDocument, ListDocuments, BatchGetDocuments)      \
  X(Statement, statements, GetStatement, ListStatements, BatchGetStatements)

#endif  // FACTGRAPH_SERVICE_STORE_RESOURCE_TABLE_H_
