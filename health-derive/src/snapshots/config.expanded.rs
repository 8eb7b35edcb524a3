#[doc(hidden)]
#[allow(non_upper_case_globals, clippy::all)]
const _: () = {
    use ::health::__private as __health;
    const __HEALTH_VAR_0: __health::VarSpec = __health::VarSpec::__new(
            "ACCOUNT",
            "String",
            "Account.",
            __health::Requirement::Required,
            __health::Option::None,
            false,
            false,
        )
        .__rule(__health::ValueRule::Text, __health::Option::None)
        .__aliases(&["ACCOUNT_SID"]);
    const __HEALTH_VAR_1: __health::VarSpec = __health::VarSpec::__new(
            "API_KEY",
            "String",
            "",
            __health::Requirement::Required,
            __health::Option::None,
            true,
            false,
        )
        .__rule(__health::ValueRule::Text, __health::Option::None)
        .__constraints(
            __health::Constraints::__new(
                __health::Option::None,
                &[],
                __health::Option::Some(__health::LenBounds {
                    min: 32,
                    max: __health::Option::Some(64),
                }),
            ),
        );
    const __HEALTH_VAR_2: __health::VarSpec = __health::VarSpec::__new(
            "PUBLIC_URL",
            "Option<url::Url>",
            "",
            __health::Requirement::Optional,
            __health::Option::None,
            false,
            false,
        )
        .__rule(__health::ValueRule::FromStr, __health::Option::None);
    const __HEALTH_VAR_3: __health::VarSpec = __health::VarSpec::__new(
            "PORT",
            "u16",
            "",
            __health::Requirement::Default,
            __health::Option::Some("8000"),
            false,
            false,
        )
        .__rule(
            __health::ValueRule::Integer {
                min: <u16>::MIN as i128,
                max: <u16>::MAX as u128,
            },
            __health::Option::None,
        )
        .__constraints(
            __health::Constraints::__new(
                __health::Option::Some(__health::Bounds {
                    min: __health::Option::Some("1024"),
                    max: __health::Option::Some("65535"),
                    max_inclusive: true,
                }),
                &[],
                __health::Option::None,
            ),
        );
    const __HEALTH_VAR_4: __health::VarSpec = __health::VarSpec::__new(
            "TIMEOUT",
            "std::time::Duration",
            "",
            __health::Requirement::Default,
            __health::Option::Some("2s"),
            false,
            false,
        )
        .__rule(__health::ValueRule::Duration, __health::Option::None)
        .__constraints(
            __health::Constraints::__new(
                __health::Option::Some(__health::Bounds {
                    min: __health::Option::Some("1s"),
                    max: __health::Option::None,
                    max_inclusive: false,
                }),
                &[],
                __health::Option::None,
            ),
        );
    const __HEALTH_VAR_5: __health::VarSpec = __health::VarSpec::__new(
            "ORIGINS",
            "Vec<String>",
            "",
            __health::Requirement::Required,
            __health::Option::None,
            false,
            false,
        )
        .__rule(__health::ValueRule::Text, __health::Option::Some(";"))
        .__constraints(
            __health::Constraints::__new(
                __health::Option::None,
                &["a", "b"],
                __health::Option::None,
            ),
        );
    #[automatically_derived]
    impl __health::ReadinessContract for Config {
        const CONTRACT: &'static __health::Contract = &__health::Contract::__new(
                "Config",
                "Settings.",
                "APP_",
                &[
                    __health::Field::__var("account", &__HEALTH_VAR_0),
                    __health::Field::__var("key", &__HEALTH_VAR_1),
                    __health::Field::__var("public_url", &__HEALTH_VAR_2),
                    __health::Field::__var("port", &__HEALTH_VAR_3),
                    __health::Field::__var("timeout", &__HEALTH_VAR_4),
                    __health::Field::__var("origins", &__HEALTH_VAR_5),
                    __health::Field::__nested(
                        "db",
                        "DB_",
                        <Db as __health::Nested>::NESTED,
                    ),
                ],
            )
            .__deny_unknown();
        fn __load(__loader: &mut __health::Loader<'_>) -> __health::Option<Self> {
            let __field_0 = __loader
                .scalar(
                    &__HEALTH_VAR_0,
                    "account",
                    __health::string,
                    __health::IfAbsent::Fail,
                    __health::Option::None,
                    __health::Option::None,
                );
            let __field_1 = __loader
                .scalar(
                    &__HEALTH_VAR_1,
                    "key",
                    __health::string,
                    __health::IfAbsent::Fail,
                    __health::Option::None,
                    __health::Option::None,
                );
            let __field_2 = __loader
                .optional(
                    &__HEALTH_VAR_2,
                    "public_url",
                    __health::from_str::<url::Url>,
                    __health::Option::None,
                    __health::Option::None,
                );
            let __field_3 = __loader
                .scalar(
                    &__HEALTH_VAR_3,
                    "port",
                    __health::integer::<u16>,
                    __health::IfAbsent::Value(|| -> u16 { 8000 }),
                    __health::Option::Some(|
                        value: &u16,
                    | -> __health::Result<(), __health::String> {
                        __health::range::<
                            u16,
                        >(&__HEALTH_VAR_3, [value], __health::integer::<u16>)
                    }),
                    __health::Option::None,
                );
            let __field_4 = __loader
                .scalar(
                    &__HEALTH_VAR_4,
                    "timeout",
                    __health::duration,
                    __health::IfAbsent::Parse("2s"),
                    __health::Option::Some(|
                        value: &std::time::Duration,
                    | -> __health::Result<(), __health::String> {
                        __health::range::<
                            std::time::Duration,
                        >(&__HEALTH_VAR_4, [value], __health::duration)
                    }),
                    __health::Option::None,
                );
            let __field_5 = __loader
                .list(
                    &__HEALTH_VAR_5,
                    "origins",
                    __health::string,
                    __health::IfAbsent::Fail,
                    __health::Option::None,
                    __health::Option::Some(|
                        value: &Vec<String>,
                    | -> __health::Result<(), __health::Refusal> {
                        __health::verdict(not_empty(value))
                    }),
                );
            let __field_6 = <Db as __health::Nested>::load_nested(__loader, "db", "DB_");
            let (
                __health::Option::Some(__field_0),
                __health::Option::Some(__field_1),
                __health::Option::Some(__field_2),
                __health::Option::Some(__field_3),
                __health::Option::Some(__field_4),
                __health::Option::Some(__field_5),
                __health::Option::Some(__field_6),
            ) = (
                __field_0,
                __field_1,
                __field_2,
                __field_3,
                __field_4,
                __field_5,
                __field_6,
            ) else {
                return __health::Option::None;
            };
            __health::Option::Some(Self {
                account: __field_0,
                key: __field_1,
                public_url: __field_2,
                port: __field_3,
                timeout: __field_4,
                origins: __field_5,
                db: __field_6,
            })
        }
    }
};
