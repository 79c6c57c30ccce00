//! A language is one pack for facts and one set of furniture words for page
//! extraction: never one without the other.

#[test]
fn every_pack_has_its_furniture_words_and_the_reverse() {
    let packs: Vec<&str> = glaneur_facts::lang::supported().collect();
    let furniture: Vec<&str> = glaneur_articles::furniture_languages().collect();
    assert_eq!(packs, furniture);
}
