#[doc(hidden)]
#[allow(non_upper_case_globals, clippy::all)]
const _: () = {
    const __HEALTH_VAR_0: ::health::__private::VarSpec = ::health::__private::VarSpec::__new(
            "ACCOUNT",
            "String",
            "Account.",
            ::health::__private::Requirement::Required,
            ::health::__private::Option::None,
            false,
            false,
        )
        .__rule(::health::__private::Rule::Text, ::health::__private::Option::None)
        .__aliases(&["ACCOUNT_SID"]);
    const __HEALTH_VAR_1: ::health::__private::VarSpec = ::health::__private::VarSpec::__new(
            "API_KEY",
            "String",
            "",
            ::health::__private::Requirement::Required,
            ::health::__private::Option::None,
            true,
            false,
        )
        .__rule(::health::__private::Rule::Text, ::health::__private::Option::None)
        .__constraints(
            ::health::__private::Constraints::__new(
                ::health::__private::Option::None,
                &[],
                ::health::__private::Option::Some(::health::__private::LenBounds {
                    min: 32,
                    max: ::health::__private::Option::Some(64),
                }),
            ),
        );
    const __HEALTH_VAR_2: ::health::__private::VarSpec = ::health::__private::VarSpec::__new(
            "PUBLIC_URL",
            "Option<url::Url>",
            "",
            ::health::__private::Requirement::Optional,
            ::health::__private::Option::None,
            false,
            false,
        )
        .__rule(::health::__private::Rule::FromStr, ::health::__private::Option::None);
    const __HEALTH_VAR_3: ::health::__private::VarSpec = ::health::__private::VarSpec::__new(
            "PORT",
            "u16",
            "",
            ::health::__private::Requirement::Default,
            ::health::__private::Option::Some("8000"),
            false,
            false,
        )
        .__rule(
            ::health::__private::Rule::Integer {
                min: <u16>::MIN as i128,
                max: <u16>::MAX as u128,
            },
            ::health::__private::Option::None,
        )
        .__constraints(
            ::health::__private::Constraints::__new(
                ::health::__private::Option::Some(::health::__private::Bounds {
                    min: ::health::__private::Option::Some("1024"),
                    max: ::health::__private::Option::Some("65535"),
                    max_inclusive: true,
                }),
                &[],
                ::health::__private::Option::None,
            ),
        );
    const __HEALTH_VAR_4: ::health::__private::VarSpec = ::health::__private::VarSpec::__new(
            "TIMEOUT",
            "std::time::Duration",
            "",
            ::health::__private::Requirement::Default,
            ::health::__private::Option::Some("2s"),
            false,
            false,
        )
        .__rule(::health::__private::Rule::Duration, ::health::__private::Option::None)
        .__constraints(
            ::health::__private::Constraints::__new(
                ::health::__private::Option::Some(::health::__private::Bounds {
                    min: ::health::__private::Option::Some("1s"),
                    max: ::health::__private::Option::None,
                    max_inclusive: false,
                }),
                &[],
                ::health::__private::Option::None,
            ),
        );
    const __HEALTH_VAR_5: ::health::__private::VarSpec = ::health::__private::VarSpec::__new(
            "ORIGINS",
            "Vec<String>",
            "",
            ::health::__private::Requirement::Required,
            ::health::__private::Option::None,
            false,
            false,
        )
        .__rule(::health::__private::Rule::Text, ::health::__private::Option::Some(";"))
        .__constraints(
            ::health::__private::Constraints::__new(
                ::health::__private::Option::None,
                &["a", "b"],
                ::health::__private::Option::None,
            ),
        );
    #[automatically_derived]
    impl ::health::__private::ReadinessContract for Config {
        const CONTRACT: &'static ::health::__private::Contract = &::health::__private::Contract::__new(
                "Config",
                "Settings.",
                "APP_",
                &[
                    ::health::__private::Field::__var("account", &__HEALTH_VAR_0),
                    ::health::__private::Field::__var("key", &__HEALTH_VAR_1),
                    ::health::__private::Field::__var("public_url", &__HEALTH_VAR_2),
                    ::health::__private::Field::__var("port", &__HEALTH_VAR_3),
                    ::health::__private::Field::__var("timeout", &__HEALTH_VAR_4),
                    ::health::__private::Field::__var("origins", &__HEALTH_VAR_5),
                    ::health::__private::Field::__nested(
                        "db",
                        "DB_",
                        <Db as ::health::__private::ReadinessContract>::CONTRACT,
                    ),
                ],
            )
            .__deny_unknown();
        fn __load(
            __loader: &mut ::health::__private::Loader<'_>,
        ) -> ::health::__private::Option<Self> {
            let __field_0 = __loader
                .var(
                    &__HEALTH_VAR_0,
                    "account",
                    |
                        raw: ::health::__private::Cow<'_, ::health::__private::OsStr>,
                    | -> ::health::__private::Result<
                        String,
                        ::health::__private::ValueError,
                    > { ::health::__private::string(raw) },
                    ::health::__private::IfAbsent::Fail,
                    ::health::__private::Option::None,
                );
            let __field_1 = __loader
                .var(
                    &__HEALTH_VAR_1,
                    "key",
                    |
                        raw: ::health::__private::Cow<'_, ::health::__private::OsStr>,
                    | -> ::health::__private::Result<
                        String,
                        ::health::__private::ValueError,
                    > { ::health::__private::string(raw) },
                    ::health::__private::IfAbsent::Fail,
                    ::health::__private::Option::None,
                );
            let __field_2 = __loader
                .var(
                    &__HEALTH_VAR_2,
                    "public_url",
                    |
                        raw: ::health::__private::Cow<'_, ::health::__private::OsStr>,
                    | -> ::health::__private::Result<_, ::health::__private::ValueError> {
                        ::health::__private::Result::Ok(
                            ::health::__private::Option::Some(
                                ::health::__private::from_str::<url::Url>(&raw)?,
                            ),
                        )
                    },
                    ::health::__private::IfAbsent::Value(|| {
                        ::health::__private::Option::None
                    }),
                    ::health::__private::Option::None,
                );
            let __field_3 = __loader
                .var_in_range(
                    &__HEALTH_VAR_3,
                    "port",
                    |
                        raw: ::health::__private::Cow<'_, ::health::__private::OsStr>,
                    | -> ::health::__private::Result<
                        u16,
                        ::health::__private::ValueError,
                    > { ::health::__private::from_str::<u16>(&raw) },
                    ::health::__private::IfAbsent::Value(|| -> u16 { 8000 }),
                    ::health::__private::Option::Some(|
                        value: &u16,
                    | -> ::health::__private::Result<(), ::std::string::String> {
                        ::health::__private::range::<
                            u16,
                        >(
                            &__HEALTH_VAR_3,
                            [value],
                            |
                                raw: ::health::__private::Cow<
                                    '_,
                                    ::health::__private::OsStr,
                                >|
                            ::health::__private::from_str::<u16>(&raw),
                        )
                    }),
                    ::health::__private::Option::None,
                );
            let __field_4 = __loader
                .var_in_range(
                    &__HEALTH_VAR_4,
                    "timeout",
                    |
                        raw: ::health::__private::Cow<'_, ::health::__private::OsStr>,
                    | -> ::health::__private::Result<
                        std::time::Duration,
                        ::health::__private::ValueError,
                    > { ::health::__private::duration(&raw) },
                    ::health::__private::IfAbsent::Parse("2s"),
                    ::health::__private::Option::Some(|
                        value: &std::time::Duration,
                    | -> ::health::__private::Result<(), ::std::string::String> {
                        ::health::__private::range::<
                            std::time::Duration,
                        >(
                            &__HEALTH_VAR_4,
                            [value],
                            |
                                raw: ::health::__private::Cow<
                                    '_,
                                    ::health::__private::OsStr,
                                >|
                            ::health::__private::duration(&raw),
                        )
                    }),
                    ::health::__private::Option::None,
                );
            let __field_5 = __loader
                .var(
                    &__HEALTH_VAR_5,
                    "origins",
                    |
                        raw: ::health::__private::Cow<'_, ::health::__private::OsStr>,
                    | -> ::health::__private::Result<
                        Vec<String>,
                        ::health::__private::ValueError,
                    > {
                        ::health::__private::list(
                            &raw,
                            ";",
                            |
                                raw: ::health::__private::Cow<
                                    '_,
                                    ::health::__private::OsStr,
                                >|
                            ::health::__private::string(raw),
                        )
                    },
                    ::health::__private::IfAbsent::Fail,
                    ::health::__private::Option::Some(|
                        value: &Vec<String>,
                    | -> ::health::__private::Result<(), ::std::string::String> {
                        ::health::__private::verdict(not_empty(value))
                    }),
                );
            let __field_6 = __loader.nested::<Db>("db", "DB_");
            ::health::__private::Option::Some(Self {
                account: __field_0?,
                key: __field_1?,
                public_url: __field_2?,
                port: __field_3?,
                timeout: __field_4?,
                origins: __field_5?,
                db: __field_6?,
            })
        }
    }
};
