// Golden facts of article 003: Korea University Medical Center's "R&D First".
#include "factgraph/v1/agreement.pb.h"
#include "factgraph/v1/document.pb.h"
#include "factgraph/v1/event.pb.h"
#include "factgraph/v1/funding.pb.h"
#include "factgraph/v1/institution.pb.h"
#include "factgraph/v1/person.pb.h"
#include "factgraph/v1/project.pb.h"
#include "factgraph/v1/statistic.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/kb/seeds_snapshot.h"

namespace factgraph::test_support {
namespace {

using ::testing::ElementsAre;

TEST(KumcRndFirstTest, ArpaHAmountProjectAndInferredMonth) {
  const auto* funding = FindAs<v1::Funding>("fundings/arpa-h-frailty-project");
  ASSERT_NE(funding, nullptr);
  EXPECT_EQ(funding->amount().currency_code(), "KRW");
  EXPECT_EQ(funding->amount().units(), 15100000000);
  EXPECT_EQ(funding->amount().nanos(), 0);
  EXPECT_EQ(funding->amount().text(), "KRW 15.1 billion");
  EXPECT_EQ(funding->project().name(), "projects/ai-frailty-preventive-care");
  EXPECT_EQ(funding->start_date().year(), 2025);
  EXPECT_EQ(funding->start_date().month(), 7);
  EXPECT_EQ(funding->start_date().precision(), v1::DATE_PRECISION_MONTH);
  EXPECT_TRUE(funding->start_date().inferred());
  EXPECT_EQ(funding->start_date().text(), "In July last year");
}

TEST(KumcRndFirstTest, FrailtyProjectLeadAndParticipants) {
  const auto* project =
      FindAs<v1::Project>("projects/ai-frailty-preventive-care");
  ASSERT_NE(project, nullptr);
  EXPECT_EQ(project->lead().name(), "people/park-yong-doo");
  EXPECT_THAT(
      RefNames(project->participants()),
      ElementsAre("institutions/ku-department-of-biomedical-engineering",
                  "institutions/cha-university", "institutions/newmafit",
                  "institutions/nhn", "institutions/lonfic"));
  const auto* consortium =
      FindAs<v1::Statistic>("statistics/arpa-h-frailty-consortium-size");
  ASSERT_NE(consortium, nullptr);
  EXPECT_EQ(consortium->value(), 6);
}

TEST(KumcRndFirstTest, BostonInvestmentWithStatedConversion) {
  const auto* funding =
      FindAs<v1::Funding>("fundings/boston-biotech-cluster-investment");
  ASSERT_NE(funding, nullptr);
  EXPECT_EQ(funding->amount().currency_code(), "USD");
  EXPECT_EQ(funding->amount().units(), 7700000000);
  ASSERT_EQ(funding->stated_equivalents_size(), 1);
  EXPECT_EQ(funding->stated_equivalents(0).currency_code(), "KRW");
  EXPECT_EQ(funding->stated_equivalents(0).units(), 11000000000000);
  EXPECT_EQ(funding->stated_equivalents(0).qualifier(),
            v1::MONEY_QUALIFIER_APPROXIMATE);
  const auto* statistic =
      FindAs<v1::Statistic>("statistics/boston-biotech-cluster-investment");
  ASSERT_NE(statistic, nullptr);
  EXPECT_EQ(statistic->qualifier(), v1::STATISTIC_QUALIFIER_MORE_THAN);
}

TEST(KumcRndFirstTest, NihFunding) {
  const auto* funding = FindAs<v1::Funding>("fundings/nih-research-funding");
  ASSERT_NE(funding, nullptr);
  EXPECT_EQ(funding->funder().name(), "institutions/nih");
  EXPECT_EQ(funding->amount().units(), 45000000000);
  EXPECT_EQ(funding->amount().qualifier(), v1::MONEY_QUALIFIER_APPROXIMATE);
  ASSERT_EQ(funding->stated_equivalents_size(), 1);
  EXPECT_EQ(funding->stated_equivalents(0).units(), 65000000000000);
  const auto* share =
      FindAs<v1::Statistic>("statistics/boston-hospitals-share-of-nih-funding");
  ASSERT_NE(share, nullptr);
  EXPECT_EQ(share->value(), 66);
}

TEST(KumcRndFirstTest, ThreeYearsOfExternalResearchAndFees) {
  const auto* research =
      FindAs<v1::Funding>("fundings/kumc-external-research-projects");
  ASSERT_NE(research, nullptr);
  EXPECT_EQ(research->kind(), v1::FUNDING_KIND_EXTERNAL_RESEARCH);
  EXPECT_EQ(research->amount().units(), 500000000000);
  EXPECT_EQ(research->recipient().name(),
            "institutions/korea-university-medical-center");
  const auto* fees = FindAs<v1::Funding>("fundings/kumc-technology-fees");
  ASSERT_NE(fees, nullptr);
  EXPECT_EQ(fees->amount().units(), 106700000000);
  EXPECT_EQ(fees->amount().text(), "KRW 106.7 billion");
  const auto* applications =
      FindAs<v1::Statistic>("statistics/kumc-ip-applications");
  ASSERT_NE(applications, nullptr);
  EXPECT_EQ(applications->value(), 1000);
  EXPECT_EQ(applications->qualifier(), v1::STATISTIC_QUALIFIER_NEARLY);
}

TEST(KumcRndFirstTest, AnamHospitalFigures) {
  const auto* patients =
      FindAs<v1::Statistic>("statistics/anam-cancer-patients");
  ASSERT_NE(patients, nullptr);
  EXPECT_EQ(patients->value(), 10546);
  const auto* genomes = FindAs<v1::Statistic>("statistics/anam-cancer-genomes");
  ASSERT_NE(genomes, nullptr);
  EXPECT_EQ(genomes->value(), 10158);
  const auto* instruments =
      FindAs<v1::Statistic>("statistics/ansan-shared-research-instruments");
  ASSERT_NE(instruments, nullptr);
  EXPECT_EQ(instruments->value(), 30);
  EXPECT_EQ(instruments->qualifier(), v1::STATISTIC_QUALIFIER_MORE_THAN);
}

TEST(KumcRndFirstTest, ProjectHParticipantsAndTarget) {
  const auto* project = FindAs<v1::Project>("projects/project-h");
  ASSERT_NE(project, nullptr);
  EXPECT_THAT(RefNames(project->participants()),
              ElementsAre("institutions/moderna",
                          "institutions/ku-vaccine-innovation-center"));
  ASSERT_EQ(project->milestones_size(), 2);
  EXPECT_EQ(project->milestones(1).date().year(), 2027);
  EXPECT_EQ(project->milestones(1).date().precision(), v1::DATE_PRECISION_YEAR);
  EXPECT_FALSE(project->milestones(1).achieved());
  EXPECT_EQ(project->site().name(),
            "institutions/chung-mong-gu-future-medicine-hall");
}

TEST(KumcRndFirstTest, TripleResearchDrivenHospitalCertifications) {
  for (const char* hospital : {"anam", "guro", "ansan"}) {
    const std::string name =
        std::string("agreements/mohw-research-driven-hospital-certification-") +
        hospital;
    const auto* certification = FindAs<v1::Agreement>(name);
    ASSERT_NE(certification, nullptr) << name;
    EXPECT_EQ(certification->kind(), v1::AGREEMENT_KIND_CERTIFICATION);
    EXPECT_THAT(
        RefNames(certification->parties()),
        ElementsAre("institutions/ministry-of-health-and-welfare",
                    std::string("institutions/ku-") + hospital + "-hospital"));
    const auto* unit = FindAs<v1::Institution>(std::string("institutions/ku-") +
                                               hospital + "-hospital");
    ASSERT_NE(unit, nullptr);
    EXPECT_EQ(unit->parent().name(),
              "institutions/korea-university-medical-center");
  }
}

TEST(KumcRndFirstTest, JointOperationsOfJeongneungMedisciencePark) {
  const auto* big_data = FindAs<v1::Agreement>(
      "agreements/health-insurance-big-data-analysis-center-joint-operation");
  ASSERT_NE(big_data, nullptr);
  EXPECT_EQ(big_data->kind(), v1::AGREEMENT_KIND_JOINT_OPERATION);
  EXPECT_THAT(RefNames(big_data->parties()),
              ElementsAre("institutions/jeongneung-mediscience-park",
                          "institutions/national-health-insurance-service"));
  const auto* bio_hub =
      FindAs<v1::Agreement>("agreements/seoul-bio-hub-joint-operation");
  ASSERT_NE(bio_hub, nullptr);
  EXPECT_THAT(RefNames(bio_hub->parties()),
              ElementsAre("institutions/jeongneung-mediscience-park",
                          "institutions/kist"));
}

TEST(KumcRndFirstTest, LeadershipAndOfficeLaunch) {
  const auto* yoon = FindAs<v1::Person>("people/yoon-eul-sik");
  ASSERT_NE(yoon, nullptr);
  ASSERT_EQ(yoon->roles_size(), 2);
  EXPECT_EQ(yoon->roles(0).title(),
            "Executive Vice President for Medical Affairs");
  EXPECT_EQ(yoon->roles(1).title(), "President & CEO");
  EXPECT_EQ(yoon->roles(1).institution().name(),
            "institutions/korea-university-medical-center");
  const auto* launch = FindAs<v1::Event>(
      "events/kumc-office-of-industry-academia-collaboration-launch");
  ASSERT_NE(launch, nullptr);
  EXPECT_EQ(launch->date().year(), 2004);
  EXPECT_EQ(launch->date().precision(), v1::DATE_PRECISION_YEAR);
}

TEST(KumcRndFirstTest, DocumentUpdatedDateAndPublisher) {
  const auto* document = FindAs<v1::Document>("documents/kumc-rnd-first");
  ASSERT_NE(document, nullptr);
  EXPECT_EQ(document->publisher().name(), "institutions/dong-a-ilbo");
  EXPECT_EQ(document->published_date().year(), 2026);
  EXPECT_EQ(document->published_date().month(), 2);
  EXPECT_EQ(document->published_date().day(), 25);
  EXPECT_EQ(document->published_date().text(), "Updated 2026.02.25");
}

}  // namespace
}  // namespace factgraph::test_support
