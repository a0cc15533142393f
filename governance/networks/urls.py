from django.urls import path

from governance.networks.views import networks, questions, shared

app_name = "networks"

urlpatterns = [
    path("n/", networks.directory, name="directory"),
    path("n/<slug:slug>/", networks.network_page, name="network"),
    path("n/<slug:slug>/board/", shared.board, name="board"),
    path("n/<slug:slug>/ask/", questions.ask, name="ask"),
    path("n/<slug:slug>/q/<id:pk>/", questions.question_page, name="question"),
    path("c/<slug:slug>/networks/", networks.circle_networks, name="circle_networks"),
    path("c/<slug:slug>/p/<id:pk>/share/", shared.share, name="share"),
    path("shared/<id:pk>/", shared.shared_post, name="shared_post"),
    path("shared/<id:pk>/respond/", shared.respond, name="respond"),
    path("shared/<id:pk>/r/<id:response_pk>/", shared.conversation, name="conversation"),
    path(
        "shared/<id:pk>/r/<id:response_pk>/block/",
        shared.conversation_block,
        name="conversation_block",
    ),
]
