"""The registry: every rule, in order. A rule that is not listed here does not run.

To add a rule, write ``otokui/lint/rules/ot<guideline><nn>_<name>.py`` (copy a
similar one), list its class below, add pass and fail cases under
``tests/lint/``, and regenerate ``docs/rules.md`` with
``python -m otokui.lint.docs > docs/rules.md``.
"""

from __future__ import annotations

from otokui.lint.rule import Rule
from otokui.lint.rules.ot101_forced_signup_wording import ForcedSignupWording
from otokui.lint.rules.ot102_signup_invite_in_order_confirmation import SignupInviteInOrderConfirmation
from otokui.lint.rules.ot103_pre_ticked_opt_in import PreTickedOptIn
from otokui.lint.rules.ot104_guest_checkout_stated import GuestCheckoutStated
from otokui.lint.rules.ot201_signup_offer_matches_policy import SignupOfferMatchesPolicy
from otokui.lint.rules.ot202_rank_benefits_listed import RankBenefitsListed
from otokui.lint.rules.ot301_first_tier_presumes_patronage import FirstTierPresumesPatronage
from otokui.lint.rules.ot302_repeat_tier_says_first_order import RepeatTierSaysFirstOrder
from otokui.lint.rules.ot303_identical_tier_messages import IdenticalTierMessages
from otokui.lint.rules.ot401_surprise_threshold_shown import SurpriseThresholdShown
from otokui.lint.rules.ot402_surprise_progress_shown import SurpriseProgressShown
from otokui.lint.rules.ot403_rank_up_says_selected import RankUpSaysSelected
from otokui.lint.rules.ot404_surprise_benefit_public import SurpriseBenefitPublic
from otokui.lint.rules.ot501_pressure_wording import PressureWording
from otokui.lint.rules.ot502_confirmshaming import Confirmshaming
from otokui.lint.rules.ot503_social_proof_pressure import SocialProofPressure
from otokui.lint.rules.ot601_notice_shown import NoticeShown
from otokui.lint.rules.ot602_bank_transfer_fast_delivery import BankTransferFastDelivery
from otokui.lint.rules.ot603_bank_transfer_account import BankTransferAccount
from otokui.lint.rules.ot701_thanks_review_setup import ThanksReviewSetup
from otokui.lint.rules.ot702_thanks_review_links import ThanksReviewLinks
from otokui.lint.rules.ot703_thanks_review_tier_message import ThanksReviewTierMessage
from otokui.lint.rules.ot801_rank_count import RankCount
from otokui.lint.rules.ot802_many_ranks import ManyRanks
from otokui.lint.rules.ot803_thresholds_increasing import ThresholdsIncreasing
from otokui.lint.rules.ot804_unknown_benefit import UnknownBenefit
from otokui.lint.rules.ot901_gmail_clipping import GmailClipping
from otokui.lint.rules.ot902_email_size import EmailSize
from otokui.lint.rules.ot903_style_size import StyleSize
from otokui.lint.rules.ot1001_img_alt import ImgAlt
from otokui.lint.rules.ot1002_html_lang_dir import HtmlLangDir
from otokui.lint.rules.ot1003_layout_table_role import LayoutTableRole
from otokui.lint.rules.ot1004_preheader import Preheader
from otokui.lint.rules.ot1005_plain_text_part import PlainTextPart
from otokui.lint.rules.ot1101_link_https import LinkHttps
from otokui.lint.rules.ot1102_leftover_template_syntax import LeftoverTemplateSyntax
from otokui.lint.rules.ot1103_empty_link import EmptyLink
from otokui.lint.rules.ot1104_unsafe_link import UnsafeLink
from otokui.lint.rules.ot1105_export_template_syntax import ExportTemplateSyntax
from otokui.lint.rules.ot1106_empty_label_value import EmptyLabelValue
from otokui.lint.rules.ot1201_marketing_unsubscribe import MarketingUnsubscribe
from otokui.lint.rules.ot1202_marketing_sender import MarketingSender
from otokui.lint.rules.ot1203_transactional_contact import TransactionalContact
from otokui.lint.rules.ot1301_caniemail_unsupported import CaniemailUnsupported
from otokui.lint.rules.ot1302_caniemail_partial import CaniemailPartial
from otokui.lint.rules.ot1303_dropped_declaration import DroppedDeclaration
from otokui.lint.rules.ot1401_dark_mode_meta import DarkModeMeta
from otokui.lint.rules.ot1402_text_contrast import TextContrast
from otokui.lint.rules.ot1403_dark_mode_contrast import DarkModeContrast
from otokui.lint.rules.ot1501_rendered_layout import RenderedLayout

RULES: tuple[type[Rule], ...] = (
    ForcedSignupWording,
    SignupInviteInOrderConfirmation,
    PreTickedOptIn,
    GuestCheckoutStated,
    SignupOfferMatchesPolicy,
    RankBenefitsListed,
    FirstTierPresumesPatronage,
    RepeatTierSaysFirstOrder,
    IdenticalTierMessages,
    SurpriseThresholdShown,
    SurpriseProgressShown,
    RankUpSaysSelected,
    SurpriseBenefitPublic,
    PressureWording,
    Confirmshaming,
    SocialProofPressure,
    NoticeShown,
    BankTransferFastDelivery,
    BankTransferAccount,
    ThanksReviewSetup,
    ThanksReviewLinks,
    ThanksReviewTierMessage,
    RankCount,
    ManyRanks,
    ThresholdsIncreasing,
    UnknownBenefit,
    GmailClipping,
    EmailSize,
    StyleSize,
    ImgAlt,
    HtmlLangDir,
    LayoutTableRole,
    Preheader,
    PlainTextPart,
    LinkHttps,
    LeftoverTemplateSyntax,
    EmptyLink,
    UnsafeLink,
    ExportTemplateSyntax,
    EmptyLabelValue,
    MarketingUnsubscribe,
    MarketingSender,
    TransactionalContact,
    CaniemailUnsupported,
    CaniemailPartial,
    DroppedDeclaration,
    DarkModeMeta,
    TextContrast,
    DarkModeContrast,
    RenderedLayout,
)

BY_ID: dict[str, Rule] = {rule.id: rule() for rule in RULES}
BY_NAME: dict[str, Rule] = {rule.name: BY_ID[rule.id] for rule in RULES}
