"""xl-campaign: plan, check and run product-promotion campaigns in Excel."""

__version__ = "0.1.0"
