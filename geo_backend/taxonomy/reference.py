"""The reference vocabulary loaded by migration 0002 (see ../shared/DOMAIN.md). Administrators may add more."""

# (code, label_fr, label_en, DAC/IATI sector codes, sub-domains [(code, fr, en)])
DOMAINS = [
    ("vbg", "Violences basées sur le genre (VBG)", "Gender-based violence", ["15180"], [
        ("vbg-gestion-cas", "Gestion de cas", "Case management"),
        ("vbg-psychosocial", "Soutien psychosocial", "Psychosocial support"),
        ("vbg-sante", "Prise en charge médicale", "Health care"),
        ("vbg-juridique", "Assistance juridique", "Legal aid"),
        ("vbg-hebergement", "Hébergement, abri", "Shelter"),
        ("vbg-reinsertion", "Réinsertion économique", "Economic reintegration"),
        ("vbg-prevention", "Prévention (sensibilisation, hommes et leaders religieux)",
         "Prevention (awareness, engaging men and religious leaders)"),
    ]),
    ("participation-politique", "Participation politique et leadership", "Political participation",
     ["15150", "15151", "15152"], [
        ("participation-elections", "Candidatures et élections (loi n°2015-052)",
         "Candidacies and elections (law 2015-052)"),
        ("participation-leadership", "Leadership des femmes et des jeunes femmes",
         "Women's and young women's leadership"),
     ]),
    ("autonomisation-economique", "Autonomisation économique", "Economic empowerment",
     ["16020", "24040", "25030"], [
        ("economie-agr", "Activités génératrices de revenus", "Income-generating activities"),
        ("economie-credit", "Épargne et crédit", "Savings and credit"),
     ]),
    ("acces-justice", "Accès à la justice, assistance juridique", "Access to justice, legal aid", ["15160"], [
        ("justice-cliniques", "Cliniques juridiques", "Legal clinics"),
        ("justice-etat-civil", "État civil et documents", "Civil registration and documents"),
    ]),
    ("organisations-mouvements", "Renforcement des organisations et mouvements",
     "Women's organisations and movements", ["15170", "92030"], []),
    ("paix-securite", "Paix et sécurité (femmes, paix et sécurité)", "Women, peace and security", ["15220"], []),
    ("sante-sexuelle", "Santé sexuelle et reproductive", "Sexual and reproductive health", ["13020"], []),
    ("education-filles", "Éducation et maintien des filles à l'école", "Girls' education", ["11220"], []),
]

ACTION_KINDS = [
    ("sensibilisation", "Sensibilisation", "Awareness raising"),
    ("plaidoyer", "Plaidoyer", "Advocacy"),
    ("formation", "Formation", "Training"),
    ("prise-en-charge", "Prise en charge", "Care and support"),
    ("accompagnement-juridique", "Accompagnement juridique", "Legal accompaniment"),
    ("recherche", "Recherche", "Research"),
]

TARGET_GROUPS = [
    ("femmes", "Femmes", "Women"),
    ("filles", "Filles", "Girls"),
    ("jeunes-femmes", "Jeunes femmes", "Young women"),
    ("femmes-handicapees", "Femmes handicapées", "Women with disabilities"),
    ("deplacees-internes", "Personnes déplacées internes", "Internally displaced people"),
    ("femmes-rurales", "Femmes rurales", "Rural women"),
    ("elues-locales", "Élues locales", "Local elected women"),
]


def load_reference(theme_model, action_kind_model, target_group_model) -> None:
    """Creates or refreshes the reference entries (idempotent; entries added by administrators are kept)."""
    for position, (code, fr, en, dac, children) in enumerate(DOMAINS):
        domain, _ = theme_model.objects.update_or_create(
            code=code, defaults={"label_fr": fr, "label_en": en, "dac_codes": dac, "position": position, "parent": None}
        )
        for child_position, (child_code, child_fr, child_en) in enumerate(children):
            theme_model.objects.update_or_create(
                code=child_code,
                defaults={"label_fr": child_fr, "label_en": child_en, "dac_codes": dac, "position": child_position,
                          "parent": domain},
            )
    for model, rows in ((action_kind_model, ACTION_KINDS), (target_group_model, TARGET_GROUPS)):
        for position, (code, fr, en) in enumerate(rows):
            model.objects.update_or_create(code=code, defaults={"label_fr": fr, "label_en": en, "position": position})
