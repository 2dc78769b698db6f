import pytest

from ftzsafety.exchange.names import normalise_name, similarity


@pytest.mark.parametrize(
    ("variant", "registered"),
    [
        ("滨海化工仓储（天津）有限公司", "滨海化工仓储(天津)有限公司"),
        ("滨海化工仓储有限责任公司", "滨海化工仓储有限公司"),
        ("滨海化工仓储股份有限公司", "滨海化工仓储有限公司"),
        ("滨海 化工 仓储 有限公司", "滨海化工仓储有限公司"),
        ("ＢＨ化工仓储有限公司", "BH化工仓储有限公司"),
        ("BINHAI CHEMICAL STORAGE CO., LTD.", "Binhai Chemical Storage Co Ltd"),
        ("Binhai Chemical Storage Company Limited", "Binhai Chemical Storage Co., Ltd."),
        ("Binhai Chemical Storage, Inc.", "binhai chemical storage incorporated"),
    ],
)
def test_variants_share_one_key(variant: str, registered: str) -> None:
    assert normalise_name(variant) == normalise_name(registered)


def test_different_names_stay_apart() -> None:
    assert normalise_name("海港物流有限公司") != normalise_name("滨海化工仓储有限公司")
    assert similarity(normalise_name("海港物流有限公司"), normalise_name("滨海化工仓储有限公司")) < 0.6
