"""The post author's choice, on the post's page: share it with one of their circle's
networks, or stop sharing it."""

from django import forms

SHARE, STOP = "share", "stop"


class ShareForm(forms.Form):
    network = forms.IntegerField(min_value=1)
    action = forms.ChoiceField(choices=[(SHARE, SHARE), (STOP, STOP)])
