#include "tests/query/fixture.h"

#include "absl/time/clock.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"

namespace factgraph::query::test_support {

// The links (EntityRef fields), for reading the graph tests:
//   kaist.location -> daejeon            ku.location -> seoul
//   ku-medicine.parent -> ku             ku-anam-hospital.parent -> ku-medicine
//   ku-anam-hospital.location -> seoul
//   lee.roles[0].institution -> kaist    kim.roles[0].institution -> ku
//   ku-kaist.parties -> ku, kaist        ku-kaist.place -> seoul
//   ncc-kaist.parties -> ncc, kaist      kaist-moderna.parties -> kaist,
//   moderna project-h.lead -> ku-anam-hospital   project-h.participants ->
//   kaist kumc-rnd.lead -> kumc project-h-grant.funder -> msit
//   project-h-grant.recipient -> ku-anam-hospital project-h-grant.project ->
//   project-h symposium.place -> seoul             symposium.organizers -> ku,
//   kaist symposium.speakers -> lee            symposium.participants -> kaist
//   ncc-patients.subject -> ncc
constexpr char kKnowledgeBase[] = R"pb(
  institutions {
    name: "institutions/kaist"
    display_name: "KAIST"
    aliases: "Korea Advanced Institute of Science and Technology"
    aliases: "카이스트"
    kind: INSTITUTION_KIND_UNIVERSITY
    location { name: "institutions/daejeon" display_name: "Daejeon" }
    citations {
      document: "documents/article"
      quote: "KAIST"
      field_paths: "display_name"
      field_paths: "kind"
    }
  }
  institutions {
    name: "institutions/ku"
    display_name: "Korea University"
    aliases: "KU"
    aliases: "고려대학교"
    kind: INSTITUTION_KIND_UNIVERSITY
    location { name: "institutions/seoul" display_name: "Seoul" }
  }
  institutions {
    name: "institutions/ku-medicine"
    display_name: "Korea University College of Medicine"
    kind: INSTITUTION_KIND_COLLEGE
    parent { name: "institutions/ku" display_name: "Korea University" }
  }
  institutions {
    name: "institutions/ku-anam-hospital"
    display_name: "Korea University Anam Hospital"
    kind: INSTITUTION_KIND_HOSPITAL
    parent {
      name: "institutions/ku-medicine"
      display_name: "Korea University College of Medicine"
    }
    location { name: "institutions/seoul" display_name: "Seoul" }
  }
  institutions {
    name: "institutions/kumc"
    display_name: "KUMC"
    aliases: "Korea University Medical Center"
    kind: INSTITUTION_KIND_HOSPITAL
  }
  institutions {
    name: "institutions/moderna"
    display_name: "Moderna"
    kind: INSTITUTION_KIND_COMPANY
  }
  institutions {
    name: "institutions/seoul"
    display_name: "Seoul"
    aliases: "서울"
    kind: INSTITUTION_KIND_CITY
  }
  institutions {
    name: "institutions/daejeon"
    display_name: "Daejeon"
    kind: INSTITUTION_KIND_CITY
  }
  institutions {
    name: "institutions/ncc"
    display_name: "National Cancer Center"
    aliases: "NCC"
    aliases: "국립암센터"
    kind: INSTITUTION_KIND_HOSPITAL
  }
  institutions {
    name: "institutions/msit"
    display_name: "Ministry of Science and ICT"
    aliases: "MSIT"
    kind: INSTITUTION_KIND_MINISTRY
  }
  people {
    name: "people/lee-kwang-hyung"
    display_name: "Lee Kwang-hyung"
    aliases: "Kwang-Hyung Lee"
    aliases: "이광형"
    roles {
      title: "President"
      institution { name: "institutions/kaist" display_name: "KAIST" }
      as_of { year: 2024 month: 11 day: 7 precision: DATE_PRECISION_DAY }
    }
    citations {
      document: "documents/article"
      quote: "KAIST President Lee Kwang-hyung"
      field_paths: "display_name"
      field_paths: "roles"
    }
  }
  people {
    name: "people/kim-dong-won"
    display_name: "Kim Dong-won"
    aliases: "김동원"
    roles {
      title: "President"
      institution { name: "institutions/ku" display_name: "Korea University" }
    }
  }
  agreements {
    name: "agreements/ku-kaist"
    display_name: "KU–KAIST research cooperation agreement"
    kind: AGREEMENT_KIND_COOPERATION_AGREEMENT
    parties { name: "institutions/ku" display_name: "Korea University" }
    parties { name: "institutions/kaist" display_name: "KAIST" }
    signed_date { year: 2023 month: 11 day: 7 precision: DATE_PRECISION_DAY }
    place { name: "institutions/seoul" display_name: "Seoul" }
    scope_areas: "AI"
    scope_areas: "bio health"
    citations {
      document: "documents/article"
      quote: "KAIST and Korea University signed"
      field_paths: "parties"
      field_paths: "signed_date"
    }
  }
  agreements {
    name: "agreements/ncc-kaist"
    display_name: "NCC–KAIST cooperation agreement"
    kind: AGREEMENT_KIND_COOPERATION_AGREEMENT
    parties { name: "institutions/ncc" display_name: "National Cancer Center" }
    parties { name: "institutions/kaist" display_name: "KAIST" }
    signed_date { year: 2025 month: 2 precision: DATE_PRECISION_MONTH }
  }
  agreements {
    name: "agreements/kaist-moderna"
    display_name: "KAIST–Moderna partnership"
    kind: AGREEMENT_KIND_PARTNERSHIP
    parties { name: "institutions/kaist" display_name: "KAIST" }
    parties { name: "institutions/moderna" display_name: "Moderna" }
    signed_date { year: 2024 precision: DATE_PRECISION_YEAR }
  }
  projects {
    name: "projects/project-h"
    display_name: "Project H"
    kind: PROJECT_KIND_PROJECT
    lead {
      name: "institutions/ku-anam-hospital"
      display_name: "Korea University Anam Hospital"
    }
    participants { name: "institutions/kaist" display_name: "KAIST" }
  }
  projects {
    name: "projects/kumc-rnd"
    display_name: "KUMC R&D First"
    aliases: "KUMC"
    kind: PROJECT_KIND_INITIATIVE
    lead { name: "institutions/kumc" display_name: "KUMC" }
  }
  fundings {
    name: "fundings/project-h-grant"
    display_name: "Project H grant"
    kind: FUNDING_KIND_GRANT
    amount { currency_code: "KRW" units: 15100000000 text: "KRW 15.1 billion" }
    funder {
      name: "institutions/msit"
      display_name: "Ministry of Science and ICT"
    }
    recipient {
      name: "institutions/ku-anam-hospital"
      display_name: "Korea University Anam Hospital"
    }
    project { name: "projects/project-h" display_name: "Project H" }
  }
  events {
    name: "events/symposium"
    display_name: "KU–KAIST joint symposium"
    kind: EVENT_KIND_SYMPOSIUM
    date { year: 2024 month: 11 day: 7 precision: DATE_PRECISION_DAY }
    place { name: "institutions/seoul" display_name: "Seoul" }
    organizers { name: "institutions/ku" display_name: "Korea University" }
    organizers { name: "institutions/kaist" display_name: "KAIST" }
    speakers { name: "people/lee-kwang-hyung" display_name: "Lee Kwang-hyung" }
    participants { name: "institutions/kaist" display_name: "KAIST" }
  }
  statistics {
    name: "statistics/ncc-patients"
    display_name: "NCC patients"
    subject { name: "institutions/ncc" display_name: "National Cancer Center" }
    measure: "patients"
    value: 1200
    unit: "people"
  }
  documents {
    name: "documents/article"
    display_name: "Article"
    file_name: "article.txt"
    language: "en"
  }
)pb";

v1::KnowledgeBase FixtureKnowledgeBase() {
  v1::KnowledgeBase kb;
  EXPECT_TRUE(
      google::protobuf::TextFormat::ParseFromString(kKnowledgeBase, &kb));
  return kb;
}

std::shared_ptr<const store::Snapshot> FixtureSnapshot() {
  return store::Snapshot::Build(FixtureKnowledgeBase(), "fixture", absl::Now());
}

}  // namespace factgraph::query::test_support
