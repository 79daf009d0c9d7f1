"""xl-campaign: plan, check and run product-promotion campaigns in Excel."""

__version__ = "0.1.0"


def main() -> None:
    """Check & Update the calling workbook: the entry point of the add-in's ribbon button, which runs
    ``import xl_campaign; xl_campaign.main()``. Imported lazily so that ``import xl_campaign`` stays cheap."""
    from .excel.main import main as run_from_excel

    run_from_excel()
